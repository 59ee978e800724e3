#!/usr/bin/env python3
"""Writes the arena tensors and op order of TFLite models as planner replay data.

For each model: the graph inputs and outputs, then one line per op with the tensors it reads and
writes, then the byte size of every non-constant tensor. Constants (weights) are left out: the
planner never places them. Usage: dump_lifetimes.py OUT_DIR MODEL.tflite...
"""
import os
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter


def main() -> int:
    out_dir = sys.argv[1]
    for path in sys.argv[2:]:
        interp = Interpreter(model_path=path)
        tensors = {t["index"]: t for t in interp.get_tensor_details()}
        ops = interp._get_ops_details()  # pylint: disable=protected-access
        inputs = [d["index"] for d in interp.get_input_details()]
        outputs = [d["index"] for d in interp.get_output_details()]
        produced = set(inputs)
        for op in ops:
            produced.update(int(t) for t in op["outputs"])
        name = os.path.basename(path).replace(".tflite", "")
        with open(os.path.join(out_dir, name + ".lifetimes"), "w") as f:
            f.write(f"# {name}: arena tensors and op order, from {os.path.basename(path)}\n")
            f.write("inputs " + " ".join(map(str, inputs)) + "\n")
            f.write("outputs " + " ".join(map(str, outputs)) + "\n")
            for op in ops:
                ins = [int(t) for t in op["inputs"] if int(t) in produced]
                outs = [int(t) for t in op["outputs"]]
                alias = 1 if op["op_name"] == "RESHAPE" else 0
                f.write(f"op {alias} " + " ".join(map(str, ins)) + " : " + " ".join(map(str, outs)) + "\n")
            for idx in sorted(produced):
                t = tensors[idx]
                nbytes = int(np.prod(t["shape"])) * np.dtype(t["dtype"]).itemsize
                f.write(f"tensor {idx} {nbytes}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
