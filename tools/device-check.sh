#!/usr/bin/env bash
# The device check for a GPU machine without a JDK, in two halves.
#
#   tools/device-check.sh [--bundle DIR]   (here, in a checkout with a JDK 17)
#       makes DIR/simil-device-check.tar.gz (default DIR: target/device-check): a JRE cut by jlink to the modules
#       target/simil.jar needs, the jar without the OpenBLAS builds it never loads, and this script; prints its size,
#       which must stay under 64 MiB.
#   ./device-check.sh --run [simil device-check options]   (there, in the unpacked bundle)
#       puts the machine's CUDA libraries on LD_LIBRARY_PATH (every nvidia/*/lib folder of the Python wheels, else
#       /usr/local/cuda/lib64; never LD_BIND_NOW: the JNI libraries bind lazily) and runs
#       `simil device-check --device cuda` under a 6-minute limit (SIMIL_CHECK_SECONDS), passing the options on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

run() {
    local dirs=() d
    # The wheels' folders, whole: cuDNN loads engine libraries that no preset names.
    for site in $(python3 -c 'import nvidia, sys; print(" ".join(nvidia.__path__))' 2>/dev/null || true) \
                /usr/local/lib/python3*/dist-packages/nvidia /usr/local/lib/python3*/site-packages/nvidia \
                /usr/lib/python3/dist-packages/nvidia "$HOME"/.local/lib/python3*/site-packages/nvidia; do
        for d in "$site"/*/lib; do
            [ -d "$d" ] && [[ " ${dirs[*]-} " != *" $d "* ]] && dirs+=("$d")
        done
    done
    if [ ${#dirs[@]} -eq 0 ] && [ -d /usr/local/cuda/lib64 ]; then dirs=(/usr/local/cuda/lib64); fi
    if [ ${#dirs[@]} -gt 0 ]; then
        LD_LIBRARY_PATH=$(IFS=:; echo "${dirs[*]}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
        export LD_LIBRARY_PATH
        echo "device-check: CUDA libraries from ${dirs[*]}" >&2
    else
        echo "device-check: no CUDA libraries found in Python wheels or /usr/local/cuda/lib64" >&2
    fi
    unset LD_BIND_NOW
    export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-$(nproc)}
    exec timeout "${SIMIL_CHECK_SECONDS:-360}" "$here/jre/bin/java" ${SIMIL_JAVA_OPTS:--Xmx8g} -Djava.awt.headless=true \
        -jar "$here/simil.jar" device-check --device cuda "$@"
}

bundle() {
    local out=$1 repo
    repo=$(cd "$here/.." && pwd)
    local jar=$repo/target/simil.jar
    if [ ! -f "$jar" ]; then (cd "$repo" && mvn -B -q -DskipTests package); fi
    local work=$out/simil-device-check
    rm -rf "$work" "$out/simil-device-check.tar.gz"
    mkdir -p "$work"
    local modules
    modules=$(jdeps --print-module-deps --ignore-missing-deps "$jar")
    jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 --output "$work/jre"
    cp "$jar" "$work/simil.jar"
    # OpenBLAS comes in three builds; NativeBlas loads openblas_nolapack only.
    zip -q -d "$work/simil.jar" 'org/bytedeco/openblas/linux-x86_64/libjniopenblas.so' \
        'org/bytedeco/openblas/linux-x86_64/libjniopenblas_full.so' 'org/bytedeco/openblas/linux-x86_64/include/*'
    cp "$here/device-check.sh" "$work/device-check.sh"
    tar -C "$out" -czf "$out/simil-device-check.tar.gz" simil-device-check
    local bytes
    bytes=$(stat -c %s "$out/simil-device-check.tar.gz")
    echo "bundle: $out/simil-device-check.tar.gz, $((bytes / 1024 / 1024)) MiB ($bytes bytes; JRE modules $modules)"
    echo "on the GPU machine: tar xzf simil-device-check.tar.gz && simil-device-check/device-check.sh --run"
    if [ "$bytes" -ge $((64 * 1024 * 1024)) ]; then echo "device-check: the bundle is 64 MiB or more" >&2; exit 1; fi
}

case "${1:-}" in
    --run) shift; run "$@" ;;
    --bundle) bundle "$(mkdir -p "$2" && cd "$2" && pwd)" ;;
    "") bundle "$(mkdir -p "$here/../target/device-check" && cd "$here/../target/device-check" && pwd)" ;;
    *) echo "usage: tools/device-check.sh [--bundle DIR] | device-check.sh --run [simil device-check options]" >&2; exit 2 ;;
esac
