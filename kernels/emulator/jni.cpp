// The JNI side of simil.backend.cuda.EmulatedGpu: device memory is host memory (256-byte aligned, up to a limit, so
// that running out can be tested), and every address range a call touches is checked to lie inside one live
// allocation, which a GPU would not do for us. Each stream call is made twice: with run false when Java queues it
// (its arguments checked, so that a mistake throws where it was made), with run true when the stream runs it.
#include <jni.h>
#include <stdlib.h>
#include <string.h>

#include <map>
#include <mutex>
#include <string>

#include "emulator.h"

namespace {

struct Device {
    std::mutex lock;
    long long limit, used = 0;
    bool reverse;  // launches run blocks and threads in reverse order
    std::map<unsigned long long, unsigned long long> sizes;  // address → bytes
    std::string failure;  // of a kernel since the last synchronize
};

Device* device(jlong handle) { return (Device*) (intptr_t) handle; }

void throw_new(JNIEnv* env, const char* type, const std::string& why) {
    env->ThrowNew(env->FindClass(type), why.c_str());
}

std::string hex(unsigned long long v) {
    char buf[32];
    snprintf(buf, sizeof buf, "0x%llx", v);
    return buf;
}

// Whether [address, address + bytes) lies inside one live allocation; throws if not.
bool inside(JNIEnv* env, Device* d, const char* what, unsigned long long address, unsigned long long bytes) {
    std::lock_guard<std::mutex> hold(d->lock);
    auto it = d->sizes.upper_bound(address);
    if (it != d->sizes.begin()) {
        --it;
        if (address + bytes <= it->first + it->second) return true;
        if (address < it->first + it->second) {
            throw_new(env, "java/lang/IllegalArgumentException", std::string(what) + ": " + std::to_string(bytes) + " bytes at " + hex(address)
                    + " run past the end of the allocation of " + std::to_string(it->second) + " bytes at " + hex(it->first));
            return false;
        }
    }
    throw_new(env, "java/lang/IllegalArgumentException", std::string(what) + ": " + hex(address) + " is not in device memory");
    return false;
}

// The bytes of host buffer [offset, offset + bytes), or null after throwing.
unsigned char* host(JNIEnv* env, jobject buffer, jlong offset, jlong bytes) {
    unsigned char* base = (unsigned char*) env->GetDirectBufferAddress(buffer);
    jlong capacity = env->GetDirectBufferCapacity(buffer);
    if (!base || offset < 0 || bytes < 0 || offset + bytes > capacity) {
        throw_new(env, "java/lang/IllegalArgumentException", std::to_string(bytes) + " bytes at " + std::to_string(offset)
                + " of a pinned buffer of " + std::to_string(capacity));
        return nullptr;
    }
    return base + offset;
}

// The bytes a column-major rows × cols matrix with leading dimension ld spans, count of them stride apart (floats).
unsigned long long matrix_bytes(int rows, int cols, int ld, long long stride, int count) {
    if (rows == 0 || cols == 0 || count == 0) return 0;
    return 4ULL * ((unsigned long long) (count - 1) * stride + (unsigned long long) (cols - 1) * ld + rows);
}

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_simil_backend_cuda_EmulatedGpu_create(JNIEnv*, jclass, jlong limit, jboolean reverse) {
    Device* d = new Device();
    d->limit = limit;
    d->reverse = reverse;
    return (jlong) (intptr_t) d;
}

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_destroy(JNIEnv*, jclass, jlong handle) {
    Device* d = device(handle);
    for (auto& [address, bytes] : d->sizes) free((void*) (uintptr_t) address);
    delete d;
}

JNIEXPORT jstring JNICALL Java_simil_backend_cuda_EmulatedGpu_compiler(JNIEnv* env, jclass) {
    return env->NewStringUTF("g++ " __VERSION__);
}

JNIEXPORT jlong JNICALL Java_simil_backend_cuda_EmulatedGpu_allocate(JNIEnv* env, jclass, jlong handle, jlong bytes) {
    Device* d = device(handle);
    if (bytes < 0) {
        throw_new(env, "java/lang/IllegalArgumentException", "allocate " + std::to_string(bytes) + " bytes");
        return 0;
    }
    unsigned long long size = ((unsigned long long) bytes + 255) / 256 * 256;
    if (size == 0) size = 256;
    std::lock_guard<std::mutex> hold(d->lock);
    if (d->used + (long long) size > d->limit) return 0;
    void* p = aligned_alloc(256, size);
    if (!p) return 0;
    // A GPU's fresh memory holds garbage: NaN here (and -1 as ints), so that reading it unwritten shows.
    memset(p, 0xff, size);
    d->used += size;
    d->sizes[(unsigned long long) (uintptr_t) p] = size;
    return (jlong) (intptr_t) p;
}

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_free(JNIEnv* env, jclass, jlong handle, jlong address) {
    Device* d = device(handle);
    std::lock_guard<std::mutex> hold(d->lock);
    auto it = d->sizes.find((unsigned long long) address);
    if (it == d->sizes.end()) {
        throw_new(env, "java/lang/IllegalArgumentException", "free of " + hex(address) + ", which is not an allocation (freed twice?)");
        return;
    }
    d->used -= it->second;
    d->sizes.erase(it);
    free((void*) (intptr_t) address);
}

JNIEXPORT jlong JNICALL Java_simil_backend_cuda_EmulatedGpu_used(JNIEnv*, jclass, jlong handle) {
    Device* d = device(handle);
    std::lock_guard<std::mutex> hold(d->lock);
    return d->used;
}

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_copyToDevice(JNIEnv* env, jclass, jlong handle, jobject src, jlong offset,
                                                                        jlong dst, jlong bytes, jboolean run) {
    unsigned char* from = host(env, src, offset, bytes);
    if (from && inside(env, device(handle), "copyToDevice", dst, bytes) && run) memcpy((void*) (intptr_t) dst, from, bytes);
}

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_copyToHost(JNIEnv* env, jclass, jlong handle, jlong src, jobject dst,
                                                                      jlong offset, jlong bytes, jboolean run) {
    unsigned char* to = host(env, dst, offset, bytes);
    if (to && inside(env, device(handle), "copyToHost", src, bytes) && run) memcpy(to, (void*) (intptr_t) src, bytes);
}

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_copyOnDevice(JNIEnv* env, jclass, jlong handle, jlong src, jlong dst,
                                                                        jlong bytes, jboolean run) {
    Device* d = device(handle);
    if (inside(env, d, "copyOnDevice (source)", src, bytes) && inside(env, d, "copyOnDevice (destination)", dst, bytes) && run) {
        memmove((void*) (intptr_t) dst, (void*) (intptr_t) src, bytes);
    }
}

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_zero(JNIEnv* env, jclass, jlong handle, jlong address, jlong bytes, jboolean run) {
    if (inside(env, device(handle), "zero", address, bytes) && run) memset((void*) (intptr_t) address, 0, bytes);
}

// The kernel's index in the table, or -1.
JNIEXPORT jint JNICALL Java_simil_backend_cuda_EmulatedGpu_kernel(JNIEnv* env, jclass, jstring name) {
    const char* n = env->GetStringUTFChars(name, nullptr);
    int found = -1;
    for (int i = 0; i < simil_emu_kernel_count && found < 0; i++) {
        if (strcmp(simil_emu_kernels[i].name, n) == 0) found = i;
    }
    env->ReleaseStringUTFChars(name, n);
    return found;
}

JNIEXPORT jstring JNICALL Java_simil_backend_cuda_EmulatedGpu_kernelName(JNIEnv* env, jclass, jint index) {
    return env->NewStringUTF(simil_emu_kernels[index].name);
}

JNIEXPORT jint JNICALL Java_simil_backend_cuda_EmulatedGpu_kernelCount(JNIEnv*, jclass) {
    return simil_emu_kernel_count;
}

// Parameter kinds, one letter each: p pointer, i int, l long long, f float.
JNIEXPORT jstring JNICALL Java_simil_backend_cuda_EmulatedGpu_kernelParams(JNIEnv* env, jclass, jint index) {
    return env->NewStringUTF(simil_emu_kernels[index].params);
}

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_launch(JNIEnv* env, jclass, jlong handle, jint index, jint gx, jint gy,
                                                                  jint gz, jint bx, jint by, jint bz, jint shared, jlongArray args,
                                                                  jboolean run) {
    Device* d = device(handle);
    const simil_emu_kernel& k = simil_emu_kernels[index];
    simil_emu_launch l = {{(unsigned) gx, (unsigned) gy, (unsigned) gz}, {(unsigned) bx, (unsigned) by, (unsigned) bz}, (size_t) shared,
                          d->reverse};
    std::string bad = simil_emu_check_launch(k, l);
    if (!bad.empty()) {
        throw_new(env, "java/lang/IllegalArgumentException", bad);
        return;
    }
    unsigned char slots[8 * 32];
    jsize count = env->GetArrayLength(args);
    if (count > 32) count = 32;
    env->GetLongArrayRegion(args, 0, count, (jlong*) slots);
    for (int i = 0; k.params[i] && i < count; i++) {
        if (k.params[i] != 'p') continue;
        unsigned long long p;
        memcpy(&p, slots + 8 * i, 8);
        // Null may mean "none"; any other pointer must point into device memory.
        if (p && !inside(env, d, (std::string(k.name) + ": argument " + std::to_string(i)).c_str(), p, 0)) return;
    }
    if (!run) return;
    {
        // As on a GPU, whose faulted stream runs nothing more: what comes after a failure would run on its garbage
        // (a scan that deadlocked leaves the offsets a scatter writes through) and could take the JVM down.
        std::lock_guard<std::mutex> hold(d->lock);
        if (!d->failure.empty()) return;
    }
    std::string failed = simil_emu_run(k, l, slots);
    if (!failed.empty()) {
        std::lock_guard<std::mutex> hold(d->lock);
        if (d->failure.empty()) d->failure = failed;
    }
}

// The first kernel failure since the last call, or null.
JNIEXPORT jstring JNICALL Java_simil_backend_cuda_EmulatedGpu_takeFailure(JNIEnv* env, jclass, jlong handle) {
    Device* d = device(handle);
    std::lock_guard<std::mutex> hold(d->lock);
    if (d->failure.empty()) return nullptr;
    jstring out = env->NewStringUTF(d->failure.c_str());
    d->failure.clear();
    return out;
}

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_gemm(JNIEnv* env, jclass, jlong handle, jboolean ta, jboolean tb, jint m,
                                                                jint n, jint k, jfloat alpha, jlong a, jint lda, jlong sa, jlong b,
                                                                jint ldb, jlong sb, jfloat beta, jlong c, jint ldc, jlong sc,
                                                                jint batch, jboolean run) {
    Device* d = device(handle);
    // cuBLAS's CUBLAS_STATUS_INVALID_VALUE
    int rows_a = ta ? k : m, rows_b = tb ? n : k;
    if (m < 0 || n < 0 || k < 0 || batch < 0 || lda < (rows_a > 1 ? rows_a : 1) || ldb < (rows_b > 1 ? rows_b : 1)
            || ldc < (m > 1 ? m : 1)) {
        throw_new(env, "java/lang/IllegalArgumentException", "gemm: invalid value (m " + std::to_string(m) + ", n " + std::to_string(n)
                + ", k " + std::to_string(k) + ", lda " + std::to_string(lda) + ", ldb " + std::to_string(ldb) + ", ldc "
                + std::to_string(ldc) + ", batch " + std::to_string(batch) + ")");
        return;
    }
    bool product = alpha != 0 && k > 0;
    if (product && !inside(env, d, "gemm A", a, matrix_bytes(rows_a, ta ? m : k, lda, sa, batch))) return;
    if (product && !inside(env, d, "gemm B", b, matrix_bytes(rows_b, tb ? k : n, ldb, sb, batch))) return;
    if (!inside(env, d, "gemm C", c, matrix_bytes(m, n, ldc, sc, batch)) || !run) return;
    simil_emu_gemm(ta, tb, m, n, k, alpha, (const float*) (intptr_t) a, lda, sa, (const float*) (intptr_t) b, ldb, sb, beta,
                   (float*) (intptr_t) c, ldc, sc, batch);
}

}  // extern "C"

namespace {

// The convolution's geometry from Java's Conv2dShape fields, and whether its three tensors lie in device memory.
bool conv(JNIEnv* env, Device* d, jintArray shape, simil_emu_conv& s, const char* what, jlong x, jlong w, jlong y) {
    jint v[11];
    env->GetIntArrayRegion(shape, 0, 11, v);
    s = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]};
    unsigned long long xs = 4ULL * s.batch * s.in_channels * s.height * s.width;
    unsigned long long ws = 4ULL * s.out_channels * s.in_channels * s.kernel_h * s.kernel_w;
    unsigned long long ys = 4ULL * s.batch * s.out_channels * s.out_height * s.out_width;
    std::string name(what);
    return inside(env, d, (name + " x").c_str(), x, xs) && inside(env, d, (name + " w").c_str(), w, ws)
            && inside(env, d, (name + " y").c_str(), y, ys);
}

}  // namespace

extern "C" {

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_convForward(JNIEnv* env, jclass, jlong handle, jintArray shape, jlong x,
                                                                       jlong w, jlong y, jboolean run) {
    simil_emu_conv s;
    if (conv(env, device(handle), shape, s, "convForward", x, w, y) && run) {
        simil_emu_conv_forward(s, (const float*) (intptr_t) x, (const float*) (intptr_t) w, (float*) (intptr_t) y);
    }
}

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_convBackwardData(JNIEnv* env, jclass, jlong handle, jintArray shape,
                                                                            jlong dy, jlong w, jlong dx, jboolean run) {
    simil_emu_conv s;
    if (conv(env, device(handle), shape, s, "convBackwardData", dx, w, dy) && run) {
        simil_emu_conv_backward_data(s, (const float*) (intptr_t) dy, (const float*) (intptr_t) w, (float*) (intptr_t) dx);
    }
}

JNIEXPORT void JNICALL Java_simil_backend_cuda_EmulatedGpu_convBackwardFilter(JNIEnv* env, jclass, jlong handle, jintArray shape,
                                                                              jlong x, jlong dy, jfloat beta, jlong dw,
                                                                              jboolean run) {
    simil_emu_conv s;
    if (conv(env, device(handle), shape, s, "convBackwardFilter", x, dw, dy) && run) {
        simil_emu_conv_backward_filter(s, (const float*) (intptr_t) x, (const float*) (intptr_t) dy, beta, (float*) (intptr_t) dw);
    }
}

}  // extern "C"
