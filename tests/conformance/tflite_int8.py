#!/usr/bin/env python3
"""int8 TFLite models made by TensorFlow Lite's own quantizer, run by edgert and by TFLite.

For each float model in --models (the shared MediaPipe models; the uint8 Coral model is
quantized already and left out):
  1. Prepare it for the quantizer (ai-edge-quantizer from PyPI, which needs no TensorFlow):
     fold the DEQUANTIZE ops of fp16 weights into fp32 constants (it only quantizes float
     weights), and add a serving_default signature (MediaPipe's models have none).
  2. Quantize it fully to int8 (recipe static_wi8_ai8: per-channel int8 weights, per-tensor int8
     activations), calibrated on the photos of --photos resized to the input and normalized as
     conformance.py feeds the model.
  3. On each photo: TFLite's interpreter (its builtin int8 kernels) and `ert run` (on the .tflite,
     converted in memory; --reference-kernels too when asked) take the same int8 input; every
     output element must be within 1 unit (one step of the output's scale) of TFLite's.
Prints a line per model, photo and output (largest difference in units, elements off by 1,
result), then "N passed, M failed"; exit status 1 when anything failed or a model could not be
quantized. --keep DIR keeps the quantized models.

Not in ctest yet. As of 2026-12-06 (ai-edge-quantizer 0.10.0, ai-edge-litert 2.3.0) it fails
everywhere, for three reasons (issue 6):
  * edgert has no int8 kernel yet for RESIZE_BILINEAR (palm, pose, full-range face), MEAN
    (hand landmark) or HARD_SWISH (selfie);
  * on face_detection_short_range, face_landmark and hand_recrop the quantizer writes models
    TensorFlow Lite itself refuses (convolution filters with non-zero zero points: it treats the
    folded weights as activations; MAX_POOL_2D its XNNPACK delegate does not take);
  * the sparse full-range face detector: TFLite's value of a DENSIFY output, read with
    experimental_preserve_all_tensors, is not the dense weights, so folding changes the outputs.
"""

import argparse
import fnmatch
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import photos  # noqa: E402  pylint: disable=wrong-import-position

SKIP = ["coral__*"]  # already quantized (uint8)
UNIT_BAR = 1


def prepare_for_quantizer(src, dst):
    """Writes src with its weight-decoding ops folded to fp32 constants and a serving_default
    signature to dst. The quantizer only quantizes float constants, so DEQUANTIZE of fp16 weights
    and DENSIFY of sparse ones (and chains of them) are replaced by the dense fp32 values TFLite
    itself computes for their outputs."""
    from ai_edge_litert import schema_py_generated as schema  # pylint: disable=import-outside-toplevel
    from ai_edge_litert.interpreter import Interpreter  # pylint: disable=import-outside-toplevel
    from ai_edge_litert.tools import flatbuffer_utils  # pylint: disable=import-outside-toplevel
    model = flatbuffer_utils.read_model(src)
    decoders = {schema.BuiltinOperator.DEQUANTIZE, schema.BuiltinOperator.DENSIFY}
    codes = [max(c.builtinCode, c.deprecatedBuiltinCode) for c in model.operatorCodes]
    it = Interpreter(model_path=src, experimental_preserve_all_tensors=True)
    it.allocate_tensors()
    it.invoke()  # on whatever the input holds: the decoders read only constants
    graph = model.subgraphs[0]

    def constant(i):
        t = graph.tensors[i]
        return t.buffer > 0 and model.buffers[t.buffer].data is not None and \
            len(model.buffers[t.buffer].data) > 0

    kept = []
    for op in graph.operators:
        if codes[op.opcodeIndex] in decoders and all(constant(i) for i in op.inputs if i >= 0):
            out = graph.tensors[op.outputs[0]]
            if codes[op.opcodeIndex] == schema.BuiltinOperator.DENSIFY:
                values = it.get_tensor(op.outputs[0])  # dense, in the sparse tensor's type
            else:  # DEQUANTIZE of fp16 (TFLite's value of a folded constant is not kept)
                source = graph.tensors[op.inputs[0]]
                if source.type != schema.TensorType.FLOAT16:
                    kept.append(op)
                    continue
                raw = bytes(bytearray(model.buffers[source.buffer].data))
                values = np.frombuffer(raw, dtype=np.float16).astype(np.float32)
                out.type = schema.TensorType.FLOAT32
            buffer = schema.BufferT()
            buffer.data = np.frombuffer(values.tobytes(), dtype=np.uint8)
            model.buffers.append(buffer)
            out.buffer = len(model.buffers) - 1
            continue
        kept.append(op)
    graph.operators = kept
    if not model.signatureDefs:
        graph = model.subgraphs[0]

        def tensor_maps(indices):
            maps = []
            for i in indices:
                m = schema.TensorMapT()
                name = graph.tensors[i].name
                m.name = name.decode() if isinstance(name, bytes) else name
                m.tensorIndex = int(i)
                maps.append(m)
            return maps

        signature = schema.SignatureDefT()
        signature.signatureKey = "serving_default"
        signature.subgraphIndex = 0
        signature.inputs = tensor_maps(graph.inputs)
        signature.outputs = tensor_maps(graph.outputs)
        model.signatureDefs = [signature]
    flatbuffer_utils.write_model(model, dst)


def float_inputs(model_path, name, photo_paths):
    from ai_edge_litert.interpreter import Interpreter  # pylint: disable=import-outside-toplevel
    it = Interpreter(model_path=model_path)
    detail = it.get_input_details()[0]
    h, w = int(detail["shape"][1]), int(detail["shape"][2])
    lo, hi = photos.float_range(name)
    return [photos.resize_rgb(photos.load_rgb(p), h, w).astype(np.float32)[None] / 255.0 *
            (hi - lo) + lo for p in photo_paths]


def quantize(prepared, samples, dst):
    from ai_edge_quantizer import quantizer, recipe  # pylint: disable=import-outside-toplevel
    from ai_edge_litert.interpreter import Interpreter  # pylint: disable=import-outside-toplevel
    signature = Interpreter(model_path=prepared).get_signature_list()["serving_default"]
    input_name = signature["inputs"][0]
    q = quantizer.Quantizer(prepared)
    q.load_quantization_recipe(recipe.static_wi8_ai8())
    calibration = q.calibrate({"serving_default": [{input_name: s} for s in samples]})
    q.quantize(calibration, serialize_to_path=dst, enable_progress_bar=False,
               enable_progress_report=False)


def tflite_outputs(model_path, x):
    from ai_edge_litert.interpreter import Interpreter  # pylint: disable=import-outside-toplevel
    it = Interpreter(model_path=model_path, num_threads=1)
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    return {d["name"]: it.get_tensor(d["index"]) for d in it.get_output_details()}


def ert_outputs(ert, model_path, input_name, x, work, reference):
    os.makedirs(work, exist_ok=True)
    feed = os.path.join(work, "input.npy")
    np.save(feed, x)
    argv = [ert, "run", model_path, "--input", "%s=%s" % (input_name, feed), "--output-dir", work]
    if reference:
        argv.append("--reference-kernels")
    p = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    if p.returncode != 0:
        raise RuntimeError((p.stderr or p.stdout).strip())
    return {f[:-4]: np.load(os.path.join(work, f)) for f in os.listdir(work)
            if f.endswith(".npy") and f != "input.npy"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ert", required=True)
    ap.add_argument("--models", required=True, help="folder of .tflite float models")
    ap.add_argument("--photos", required=True, help="folder of photos (calibration and checks)")
    ap.add_argument("--reference-kernels", action="store_true",
                    help="also run edgert with the fast path off")
    ap.add_argument("--keep", default=None, help="folder to keep the quantized models in")
    args = ap.parse_args()
    try:
        import ai_edge_quantizer  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        print("tflite_int8: ai-edge-quantizer is missing: python3 -m pip install "
              "ai-edge-quantizer==0.10.0", file=sys.stderr)
        return 1

    photo_paths = sorted(os.path.join(args.photos, f) for f in os.listdir(args.photos)
                         if f.lower().endswith((".png", ".jpg", ".jpeg")))
    passed = failed = 0
    with tempfile.TemporaryDirectory() as work:
        out_dir = args.keep or work
        os.makedirs(out_dir, exist_ok=True)
        for name in sorted(os.listdir(args.models)):
            if not name.endswith(".tflite") or any(fnmatch.fnmatch(name, s) for s in SKIP):
                continue
            src = os.path.join(args.models, name)
            prepared = os.path.join(work, "prepared_" + name)
            quantized = os.path.join(out_dir, name.replace(".tflite", "_int8.tflite"))
            try:
                prepare_for_quantizer(src, prepared)
                probe = float_inputs(src, name, photo_paths[:1])[0]
                before, after = tflite_outputs(src, probe), tflite_outputs(prepared, probe)
                worst = max(float(np.abs(before[k] - after[k]).max()) for k in before)
                if worst > 1e-5:
                    raise RuntimeError("folding the weights changed the outputs by %g" % worst)
                samples = float_inputs(prepared, name, photo_paths)
                quantize(prepared, samples, quantized)
            except Exception as e:  # pylint: disable=broad-except
                print("FAIL %s: cannot quantize with ai-edge-quantizer: %s" % (name, e))
                failed += 1
                continue
            from ai_edge_litert.interpreter import Interpreter  # pylint: disable=import-outside-toplevel
            detail = Interpreter(model_path=quantized).get_input_details()[0]
            scale, zero = detail["quantization"]
            for photo, sample in zip(photo_paths, samples):
                x = np.clip(np.round(sample / scale) + zero, -128, 127).astype(np.int8)
                try:
                    want = tflite_outputs(quantized, x)
                except RuntimeError as e:
                    print("FAIL %s: TensorFlow Lite cannot run the quantized model: %s" % (name, e))
                    failed += 1
                    break
                for reference in ([False, True] if args.reference_kernels else [False]):
                    label = "%s %s%s" % (name, os.path.basename(photo),
                                         " (reference kernels)" if reference else "")
                    try:
                        got = ert_outputs(args.ert, quantized, detail["name"], x,
                                          os.path.join(work, "run"), reference)
                    except RuntimeError as e:
                        print("FAIL %s: ert run: %s" % (label, e))
                        failed += 1
                        continue
                    for out_name, w in sorted(want.items()):
                        g = got.get(out_name.replace("/", "_").replace(":", "_"))
                        if g is None or g.shape != w.shape:
                            print("FAIL %s %s: edgert gives %s" % (
                                label, out_name, "no such output" if g is None else g.shape))
                            failed += 1
                            continue
                        diff = np.abs(g.astype(np.int32) - w.astype(np.int32))
                        ok = int(diff.max()) <= UNIT_BAR
                        print("%-4s %s %s: max %d units, %d of %d elements off by 1" % (
                            "ok" if ok else "FAIL", label, out_name, int(diff.max()),
                            int((diff == 1).sum()), diff.size))
                        passed += ok
                        failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
