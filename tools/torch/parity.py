#!/usr/bin/python3
"""Checks that simil_torch computes what the Simil engine computed, on a fixture the engine wrote
(TorchParityTest writes one per architecture at test time):

    FIXTURE/model/             a Simil model directory
    FIXTURE/images/K.png       the input images
    FIXTURE/engine.safetensors pixels [N, 3, S, S] as the engine decoded the images (in [0, 1]), its
                               embeddings [N, F], pairs [P, 2] (image indices), and the pairs' logits and
                               probabilities [P]
    FIXTURE/onnx/              tower.onnx and metric.onnx from `simil export onnx` (optional)

and, when the onnx package is installed (Debian: python3-onnx), that the ONNX files pass the ONNX checker
with strict shape inference, hold every checkpoint tensor bit for bit under its name, and have the inputs,
outputs and metadata the export promises. Usage: /usr/bin/python3 tools/torch/parity.py FIXTURE... [--tolerance 1e-4].
Prints one line per check; exit status 0 when every check passes, 1 otherwise.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import simil_torch  # noqa: E402


class Checks:
    def __init__(self):
        self.failed = []
        self.count = 0

    def record(self, name, ok, detail):
        self.count += 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
        if not ok:
            self.failed.append(name)

    def close(self, name, actual, expected, tolerance):
        """|actual − expected| ≤ tolerance · max(1, max |expected|), elementwise."""
        actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
        if actual.shape != expected.shape:
            self.record(name, False, f"shape {actual.shape}, engine {expected.shape}")
            return
        bound = tolerance * max(1.0, float(np.abs(expected).max()))
        error = float(np.abs(actual - expected).max())
        self.record(name, error <= bound, f"max |torch - engine| {error:.3g} (bound {bound:.3g}) over {expected.size} values")


def check_torch(fixture, checks, tolerance):
    engine, _ = simil_torch.read_safetensors(fixture / "engine.safetensors")
    model = simil_torch.load(fixture / "model")
    pixels = engine["pixels"]
    read = torch.stack([simil_torch.read_image(fixture / "images" / f"{i}.png") for i in range(pixels.shape[0])])
    checks.record("read_image", torch.equal(read, pixels), f"{pixels.shape[0]} PNG images read as the engine decoded them"
                  if torch.equal(read, pixels) else f"max pixel difference {float((read - pixels).abs().max()):.3g}")
    pairs = engine["pairs"]
    with torch.no_grad():
        embeddings = model.embed(pixels)
        checks.close("embeddings", embeddings, engine["embeddings"], tolerance)
        a, b = engine["embeddings"][pairs[:, 0]], engine["embeddings"][pairs[:, 1]]
        checks.close("metric logits (engine embeddings)", model.logit(a, b), engine["logits"], tolerance)
        probabilities = model(pixels[pairs[:, 0]], pixels[pairs[:, 1]])
        checks.close("pair probabilities (images to probability)", probabilities, engine["probabilities"], tolerance)
    return model


def check_onnx(fixture, checks, model):
    directory = fixture / "onnx"
    if not (directory / "tower.onnx").is_file():
        print("skip onnx: the fixture has no onnx/tower.onnx")
        return
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        print("skip onnx: the onnx package is not installed (Debian: apt-get install python3-onnx)")
        return
    checkpoint, _ = simil_torch.read_safetensors(fixture / "model" / "model.safetensors")
    config = json.loads((fixture / "model" / "config.json").read_text())
    expected_io = {"tower.onnx": (["images"], ["embedding"]), "metric.onnx": (["a", "b"], ["logit", "probability"])}
    for file, (inputs, outputs) in expected_io.items():
        proto = onnx.load(str(directory / file))
        try:
            onnx.checker.check_model(proto, full_check=True)
            onnx.shape_inference.infer_shapes(proto, check_type=True, strict_mode=True)
            checks.record(f"{file} checker", True, f"valid ONNX (IR {proto.ir_version}, opset {proto.opset_import[0].version}, "
                          f"{len(proto.graph.node)} nodes), shapes inferred strictly")
        except Exception as e:  # the checker's errors are of several types
            checks.record(f"{file} checker", False, str(e).splitlines()[0])
        names = ([i.name for i in proto.graph.input], [o.name for o in proto.graph.output])
        checks.record(f"{file} inputs and outputs", names == (inputs, outputs), f"{names[0]} -> {names[1]}")
        metadata = {p.key: p.value for p in proto.metadata_props}
        checks.record(f"{file} metadata", metadata.get("architecture") == config["architecture"],
                      f"architecture {metadata.get('architecture')}")
        stored = {t.name: numpy_helper.to_array(t) for t in proto.graph.initializer if t.name in checkpoint}
        mismatched = [n for n, v in stored.items() if not np.array_equal(v, checkpoint[n].numpy())]
        # Every tensor the file's half of the model computes with (BEiT's mask token serves pre-training only).
        wanted = [n for n in checkpoint if n.startswith("metric.") == (file == "metric.onnx") and not n.endswith("mask_token")]
        missing = [n for n in wanted if n not in stored]
        checks.record(f"{file} weights", not mismatched and not missing,
                      f"{len(stored)} checkpoint tensors stored bit for bit under their names" if not mismatched and not missing
                      else f"differ: {mismatched[:3]}, missing: {missing[:3]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixtures", type=Path, nargs="+", metavar="FIXTURE")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    torch.set_num_threads(1)
    failures = 0
    for fixture in args.fixtures:
        checks = Checks()
        model = check_torch(fixture, checks, args.tolerance)
        check_onnx(fixture, checks, model)
        verdict = "parity holds" if not checks.failed else f"parity FAILS ({', '.join(checks.failed)})"
        print(f"{verdict}: {checks.count - len(checks.failed)} of {checks.count} checks passed, {model.architecture}, {fixture}")
        failures += len(checks.failed)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
