#!/usr/bin/env python3
"""Dumps what TensorFlow Lite's TFLite_Detection_PostProcess op sees and returns, so that
edgert's DETECTION_POSTPROCESS can be fed the same inputs and compared for equality.

Usage:
  detection_postprocess_check.py OUT_DIR [--model FILE.tflite] [--seed N] [--num-threads N]
                                 [--set KEY=VALUE ...]

It runs the model (default: the Coral MobileNet SSD v2 under ../shared/models/tflite) with
ai-edge-litert on a seeded random input (uniform uint8/int8 over the whole range, or floats in
[-1, 1]), without delegates and with every tensor preserved, and writes to OUT_DIR:
  input0.npy, input1.npy, input2.npy  the op's box encodings, class scores and anchors, in
                                      their own dtype (uint8 for the Coral model)
  output0.npy .. output3.npy          boxes, classes, scores and count (float32)
  meta.json                           the op's options (as TFLite reads them), and per input its
                                      dtype, shape, scale and zero point (0 and 0 for floats)
--set patches an option of the op before running (for example --set use_regular_nms=true
--set max_classes_per_detection=3), to exercise paths the stock model does not take. Values
are parsed as JSON (true, 3, 0.5).

Equality: the outputs are exact TFLite results; edgert must give the same float32 values bit
for bit, for every slot. TFLite leaves the slots after the last detection unwritten in fast
NMS (edgert writes zeros there); with a random input the Coral model fills all 20 slots, and
the script prints the count so this is visible.
"""

import argparse
import json
import os
import sys

import numpy as np
import flatbuffers
from flatbuffers import flexbuffers
from ai_edge_litert import schema_py_generated as tfl
from ai_edge_litert.interpreter import Interpreter, OpResolverType

OP_NAME = "TFLite_Detection_PostProcess"
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MODEL = os.path.normpath(os.path.join(
    HERE, "..", "..", "..", "shared", "models", "tflite",
    "coral__mobilenet_ssd_v2_coco_quant_postprocess.tflite"))


def find_op(model):
    """(subgraph, operator) of the post-process op, or exits when there is none."""
    for sg in model.subgraphs:
        for op in sg.operators or []:
            code = model.operatorCodes[op.opcodeIndex]
            if code.customCode is not None and code.customCode.decode() == OP_NAME:
                return sg, op
    sys.exit("no %s op in the model" % OP_NAME)


def patched_model(data, overrides):
    """The model bytes with the op's custom options updated, and the options dict."""
    model = tfl.ModelT.InitFromPackedBuf(bytearray(data), 0)
    _, op = find_op(model)
    options = flexbuffers.Loads(bytes(op.customOptions))
    if not overrides:
        return data, options
    for key, value in overrides.items():
        if key not in options and key not in ("detections_per_class", "use_regular_nms"):
            sys.exit("unknown option %r (the op has: %s)" % (key, ", ".join(sorted(options))))
        options[key] = value
    op.customOptions = list(flexbuffers.Dumps(options))
    builder = flatbuffers.Builder(len(data) + 1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output()), options


def random_input(rng, detail):
    shape, dtype = detail["shape"], detail["dtype"]
    if dtype == np.uint8:
        return rng.integers(0, 256, size=shape, dtype=np.uint8)
    if dtype == np.int8:
        return rng.integers(-128, 128, size=shape, dtype=np.int8)
    return rng.uniform(-1.0, 1.0, size=shape).astype(dtype)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--num-threads", type=int, default=1)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()

    overrides = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            sys.exit("--set needs KEY=VALUE, got %r" % item)
        overrides[key] = json.loads(value)

    with open(args.model, "rb") as f:
        data, options = patched_model(f.read(), overrides)

    interpreter = Interpreter(
        model_content=data, num_threads=args.num_threads,
        experimental_preserve_all_tensors=True,
        experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interpreter.allocate_tensors()
    rng = np.random.default_rng(args.seed)
    for detail in interpreter.get_input_details():
        interpreter.set_tensor(detail["index"], random_input(rng, detail))
    interpreter.invoke()

    ops = [o for o in interpreter._get_ops_details() if o["op_name"] == OP_NAME]
    if len(ops) != 1:
        sys.exit("expected one %s op, found %d" % (OP_NAME, len(ops)))
    op = ops[0]
    details = {d["index"]: d for d in interpreter.get_tensor_details()}

    os.makedirs(args.out_dir, exist_ok=True)
    meta = {"model": os.path.basename(args.model), "seed": args.seed, "options": options,
            "inputs": [], "outputs": []}
    for i, index in enumerate(op["inputs"]):
        value = interpreter.get_tensor(int(index))
        scale, zero_point = details[int(index)]["quantization"]
        np.save(os.path.join(args.out_dir, "input%d.npy" % i), value)
        meta["inputs"].append({"file": "input%d.npy" % i, "name": details[int(index)]["name"],
                               "dtype": str(value.dtype), "shape": list(value.shape),
                               "scale": float(scale), "zero_point": int(zero_point)})
    for i, index in enumerate(op["outputs"]):
        value = interpreter.get_tensor(int(index))
        np.save(os.path.join(args.out_dir, "output%d.npy" % i), value)
        meta["outputs"].append({"file": "output%d.npy" % i, "name": details[int(index)]["name"],
                                "dtype": str(value.dtype), "shape": list(value.shape)})
    with open(os.path.join(args.out_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2, sort_keys=True)
    count = interpreter.get_tensor(int(op["outputs"][3]))
    print("%s: %d detections of %d slots written to %s" % (
        OP_NAME, int(count[0]), interpreter.get_tensor(int(op["outputs"][1])).shape[1],
        args.out_dir))


if __name__ == "__main__":
    main()
