"""Copies of .tflite models in which a custom op that TensorFlow Lite's Python runtime lacks is
replaced by an equivalent builtin op, so that TFLite can serve as the reference for the model.

Only one such op is handled: MediaPipe's Convolution2DTransposeBias (selfie segmentation). It is
a transposed convolution plus a bias, with 12 bytes of raw options (not FlexBuffers): three
little-endian int32, TfLitePadding (1 = SAME, 2 = VALID), stride_w, stride_h. Its inputs are
(input [N,H,W,Ci], weights [Co,KH,KW,Ci], bias [Co]); TFLite's builtin TRANSPOSE_CONV (version 3,
which has the bias) takes (output_shape int32 [4], weights, input, bias) and TransposeConvOptions.

How a copy is made:
 1. flatc turns the .tflite into JSON with edgert's TFLite schema (src/convert/tflite_schema.fbs).
 2. The JSON is turned back into a .tflite unchanged, and both files are unpacked with TFLite's
    own complete schema (ai_edge_litert.schema_py_generated): any field that edgert's partial
    schema does not declare is lost on the way, and shows up here as a difference. Only fields
    the interpreter does not need to run a model may be lost (metadata); anything else is an
    error, since the copy would then not be the same model.
 3. The op is rewritten in the JSON (a new operator code, a constant tensor and buffer for the
    output shape, the inputs reordered, the options as TransposeConvOptions), and flatc writes
    the copy.

transpose_conv_bias_f64() evaluates the custom op from its own definition in float64, to check
that TFLite's TRANSPOSE_CONV in the copy computes what the custom op means.
"""

import json
import os
import subprocess

import numpy as np

CUSTOM_TRANSPOSE_CONV = "Convolution2DTransposeBias"
TRANSPOSE_CONV_CODE = 67
# Fields of TFLite's Model that the interpreter does not read to run a model; flatc may drop them.
NOT_NEEDED_TO_RUN = ("metadataBuffer", "metadata", "description")


class RewriteError(Exception):
    """The copy could not be made, or would not be the same model."""


class RewrittenOp:
    """One Convolution2DTransposeBias op replaced by TRANSPOSE_CONV, with the custom op's own
    options and tensors (indices are the same in the copy)."""

    def __init__(self, op_index, inputs, output, padding, stride_w, stride_h, out_shape):
        self.op_index = op_index
        self.input, self.weights, self.bias = inputs
        self.output = output
        self.padding = padding  # "SAME" or "VALID".
        self.stride_w = stride_w
        self.stride_h = stride_h
        self.out_shape = out_shape


def _flatc(args):
    try:
        proc = subprocess.run(["flatc"] + args, capture_output=True, text=True)
    except OSError as e:
        raise RewriteError("cannot run flatc (Debian package flatbuffers-compiler): %s" % e)
    if proc.returncode != 0:
        raise RewriteError("flatc %s failed: %s" % (" ".join(args), proc.stderr.strip()))


def to_json(model_path, schema, work_dir):
    """The model as a JSON object, through flatc and edgert's schema."""
    _flatc(["--json", "--strict-json", "--raw-binary", "-o", work_dir, schema, "--", model_path])
    stem = os.path.splitext(os.path.basename(model_path))[0]
    with open(os.path.join(work_dir, stem + ".json")) as f:
        return json.load(f)


def from_json(model, stem, schema, work_dir):
    """The bytes of the .tflite that flatc builds from a JSON object."""
    path = os.path.join(work_dir, stem + ".json")
    with open(path, "w") as f:
        json.dump(model, f)
    _flatc(["-b", "-o", work_dir, schema, path])
    with open(os.path.join(work_dir, stem + ".tflite"), "rb") as f:
        return f.read()


def _differences(a, b, path, out):
    """Appends to out the attribute paths where two unpacked FlatBuffer objects differ."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if a is None or b is None or not np.array_equal(np.asarray(a), np.asarray(b)):
            out.append(path)
    elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            out.append(path)
        else:
            for i, (x, y) in enumerate(zip(a, b)):
                _differences(x, y, "%s[%d]" % (path, i), out)
    elif hasattr(a, "__dict__") and hasattr(b, "__dict__") and type(a) is type(b):
        for key in sorted(set(vars(a)) | set(vars(b))):
            _differences(getattr(a, key, None), getattr(b, key, None),
                         "%s.%s" % (path, key) if path else key, out)
    elif a != b:
        out.append(path)


def lost_fields(original, copy):
    """Paths of the fields (by TFLite's schema) that differ between two .tflite byte strings."""
    from ai_edge_litert import schema_py_generated as tfl
    a = tfl.ModelT.InitFromPackedBuf(bytearray(original), 0)
    b = tfl.ModelT.InitFromPackedBuf(bytearray(copy), 0)
    out = []
    _differences(a, b, "", out)
    return out


def _custom_options(op):
    raw = bytes(op.get("custom_options", []))
    if len(raw) != 12:
        raise RewriteError("%s options are %d bytes, expected 12" % (CUSTOM_TRANSPOSE_CONV,
                                                                      len(raw)))
    padding, stride_w, stride_h = np.frombuffer(raw, "<i4").tolist()
    names = {1: "SAME", 2: "VALID"}
    if padding not in names or stride_w < 1 or stride_h < 1:
        raise RewriteError("%s options (padding %d, stride_w %d, stride_h %d) are not valid" %
                           (CUSTOM_TRANSPOSE_CONV, padding, stride_w, stride_h))
    return names[padding], stride_w, stride_h


def rewrite_custom_ops(model_path, schema, work_dir):
    """(bytes of the copy, [RewrittenOp], notes) for a model with Convolution2DTransposeBias ops.
    Raises RewriteError when the copy cannot be trusted."""
    with open(model_path, "rb") as f:
        original = f.read()
    stem = os.path.splitext(os.path.basename(model_path))[0]
    model = to_json(model_path, schema, work_dir)
    same = from_json(model, stem + ".roundtrip", schema, work_dir)
    lost = lost_fields(original, same)
    fatal = [p for p in lost if not p.startswith(NOT_NEEDED_TO_RUN)]
    if fatal:
        raise RewriteError("flatc with edgert's schema loses fields the model needs: %s" %
                           ", ".join(fatal[:8]))
    notes = []
    if lost:
        notes.append("flatc dropped %s (not needed to run)" %
                     ", ".join(sorted(set(p.split("[")[0].split(".")[0] for p in lost))))

    codes = model["operator_codes"]
    custom = [i for i, c in enumerate(codes) if c.get("custom_code") == CUSTOM_TRANSPOSE_CONV]
    codes.append({"deprecated_builtin_code": TRANSPOSE_CONV_CODE,
                  "builtin_code": "TRANSPOSE_CONV", "version": 3})
    new_code = len(codes) - 1
    rewritten = []
    for sg_index, sg in enumerate(model["subgraphs"]):
        tensors = sg["tensors"]
        for op_index, op in enumerate(sg.get("operators", [])):
            if op.get("opcode_index", 0) not in custom:
                continue
            if sg_index != 0:
                raise RewriteError("%s in subgraph %d is not handled" % (CUSTOM_TRANSPOSE_CONV,
                                                                         sg_index))
            inputs, outputs = op.get("inputs", []), op.get("outputs", [])
            if len(inputs) != 3 or len(outputs) != 1 or min(inputs) < 0:
                raise RewriteError("op %d %s has %d inputs and %d outputs, expected 3 and 1" %
                                   (op_index, CUSTOM_TRANSPOSE_CONV, len(inputs), len(outputs)))
            padding, stride_w, stride_h = _custom_options(op)
            out_shape = tensors[outputs[0]].get("shape", [])
            if len(out_shape) != 4:
                raise RewriteError("op %d output shape %s is not 4-D" % (op_index, out_shape))
            model["buffers"].append(
                {"data": list(np.asarray(out_shape, "<i4").tobytes())})
            tensors.append({"shape": [4], "type": "INT32", "buffer": len(model["buffers"]) - 1,
                            "name": tensors[outputs[0]].get("name", "") + "/output_shape"})
            shape_tensor = len(tensors) - 1
            sg["operators"][op_index] = {
                "opcode_index": new_code,
                "inputs": [shape_tensor, inputs[1], inputs[0], inputs[2]],
                "outputs": outputs,
                "builtin_options_type": "TransposeConvOptions",
                "builtin_options": {"padding": padding, "stride_w": stride_w,
                                    "stride_h": stride_h},
            }
            rewritten.append(RewrittenOp(op_index, inputs, outputs[0], padding, stride_w,
                                         stride_h, out_shape))
    if not rewritten:
        raise RewriteError("no %s op to rewrite" % CUSTOM_TRANSPOSE_CONV)
    return from_json(model, stem + ".rewritten", schema, work_dir), rewritten, notes


def transpose_conv_bias_f64(x, w, b, out_shape, padding, stride_w, stride_h):
    """Convolution2DTransposeBias in float64, from its definition: every input pixel scatters
    its weights times its value into the output, at stride steps; the full result is cropped by
    the padding that TFLite's transposed convolutions use, and the bias is added.
    x [N,H,W,Ci], w [Co,KH,KW,Ci], b [Co]; out_shape [N,OH,OW,Co]."""
    x, w, b = (np.asarray(v, np.float64) for v in (x, w, b))
    n, h, wd, _ = x.shape
    co, kh, kw, _ = w.shape
    oh, ow = out_shape[1], out_shape[2]
    full_h, full_w = (h - 1) * stride_h + kh, (wd - 1) * stride_w + kw
    # SAME and VALID differ only in the output size (given here by the output tensor); the crop
    # is half of what the full result has in excess, the odd pixel going to the bottom/right.
    top = max(0, (full_h - oh) // 2)
    left = max(0, (full_w - ow) // 2)
    full = np.zeros((n, max(full_h, top + oh), max(full_w, left + ow), co))
    for ky in range(kh):
        for kx in range(kw):
            contrib = np.tensordot(x, w[:, ky, kx, :], axes=(3, 1))  # [N, H, W, Co]
            full[:, ky:ky + (h - 1) * stride_h + 1:stride_h,
                 kx:kx + (wd - 1) * stride_w + 1:stride_w, :] += contrib
    return full[:, top:top + oh, left:left + ow, :] + b
