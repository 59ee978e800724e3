#!/usr/bin/env python3
"""The table of supported ops and data types, read from the code, for README.md.

  1. The ops: the op codes src/runtime/op_registry.cc creates, each with the make_*_op factory
     that builds it; src/ops/ops.h names the file that defines each factory.
  2. Reference data types: the dtypes that file's checks name (ERT_F32, ERT_U8, ERT_I8, ERT_F16;
     is_quantized_dtype means u8 and i8). Where the file restricts its quantized path to one op
     (`OpCode::X && is_quantized_dtype`), the other ops of the file are f32 only. RESHAPE copies
     bytes of any dtype.
  3. The fast path: the op codes src/xnnpack/xnn_backend.cc wraps, each with the kernel names
     ("xnnpack:...", "own:...") its wrapper class sets; a class that serves several ops has them
     told apart by the XNNPACK operator's verb (add, subtract, clamp, ...). A class that uses
     OwnGemm also runs edgert's own f32 GEMM micro-kernels.
  4. Write the Markdown table between README's ops-table markers (--write), or compare (--check:
     exit 1 with a one-line message when README's table is not what the code gives).
Fails, naming the op, when the code has a shape this script does not know, rather than guessing.
"""

import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = "<!-- ops-table:begin -->"
END = "<!-- ops-table:end -->"
DTYPE_TOKENS = [("ERT_F32", "f32"), ("ERT_F16", "f16"), ("ERT_U8", "u8"), ("ERT_I8", "i8")]
DTYPE_ORDER = ["f32", "f16", "u8", "i8"]
# For wrapper classes that serve several ops: the XNNPACK operator verb of each op.
VERBS = {
    "ADD": "add", "SUB": "subtract", "MUL": "multiply", "DIV": "divide", "MAXIMUM": "maximum",
    "MINIMUM": "minimum", "RELU": "clamp", "RELU6": "clamp", "LEAKY_RELU": "leaky_relu",
    "PRELU": "prelu", "SOFTMAX": "softmax", "QUANTIZE": "convert_nc_f32_", "DEQUANTIZE":
    "convert_nc_q", "CONV_2D": "conv_", "DEPTHWISE_CONV_2D": "dwconv_",
}
# The ops whose wrappers may hand the work to edgert's own f32 micro-kernels (the convolution
# wrapper's own-kernel branches are for non-depthwise convolutions only).
OWN_KERNEL_OPS = {"CONV_2D", "FULLY_CONNECTED"}
# What an XNNPACK operator name's suffix says about its data type.
KERNEL_DTYPES = [("_f32", "f32"), ("_x32", "f32"), ("_qu8", "u8"), ("_u8", "u8"), ("_qs8", "i8"),
                 ("_qc8", "i8"), ("_s8", "i8"), ("_x8", "u8, i8")]


class TableError(Exception):
    pass


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


def switch_cases(text, factory_pattern):
    """[(op, factory)] of a `case C::A: case C::B: *out = make_x(...)` switch, in order."""
    pairs, pending = [], []
    for line in text.splitlines():
        ops = re.findall(r"case C::([A-Z0-9_]+):", line)
        pending.extend(ops)
        m = re.search(factory_pattern, line)
        if m:
            pairs.extend((op, m.group(1)) for op in pending)
            pending = []
    return pairs


def reference_dtypes(op, source):
    if op == "RESHAPE":
        return "any"
    found = {name for token, name in DTYPE_TOKENS if token in source}
    if "is_quantized_dtype" in source:
        found |= {"u8", "i8"}
    restricted = re.findall(r"OpCode::([A-Z0-9_]+) && is_quantized_dtype", source)
    if restricted and op not in restricted:
        found -= {"u8", "i8"}
    if op == "DEQUANTIZE":
        found.discard("f32")  # its output; the inputs are what it dequantizes
        return ", ".join(d for d in DTYPE_ORDER if d in found) + " -> f32"
    if op == "QUANTIZE":
        return "f32, u8, i8 -> u8, i8"
    if not found:
        raise TableError("%s: no data type found in its source" % op)
    return ", ".join(d for d in DTYPE_ORDER if d in found)


def class_bodies(text):
    """{class name: its text} of the top-level classes of an xnnpack source file."""
    bodies = {}
    starts = [(m.start(), m.group(1)) for m in re.finditer(r"^class (\w+)", text, re.M)]
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        bodies[name] = text[start:end]
    return bodies


def fast_path(op, factory, xnn_sources):
    for text in xnn_sources:
        m = re.search(r"std::unique_ptr<Op> %s\([^)]*\) \{\s*return std::make_unique<(\w+)" %
                      factory, text)
        if not m:
            continue
        body = class_bodies(text).get(m.group(1))
        if body is None:
            raise TableError("%s: wrapper class %s not found" % (op, m.group(1)))
        kernels = sorted(set(re.findall(r'"((?:xnnpack|own):[a-z0-9_]+)"', body)))
        kernels = [k for k in kernels if k != "own:"]
        if op not in OWN_KERNEL_OPS:
            kernels = [k for k in kernels if not k.startswith("own:")]
        if op in VERBS:
            verb = VERBS[op]
            kernels = [k for k in kernels if k.startswith("own:") or k.split(":")[1].startswith(verb)]
        elif len(set(re.findall(r"case C::\w+", body))) > 1 or "fb::OpCode::" in body and \
                re.search(r"code_ == fb::OpCode::", body):
            raise TableError("%s: its wrapper serves several ops; add its verb" % op)
        if not kernels:
            raise TableError("%s: no kernel name in wrapper %s" % (op, m.group(1)))
        parts = []
        for k in kernels:
            name = k.split(":")[1]
            dtype = next((d for suffix, d in KERNEL_DTYPES if name.endswith(suffix)), None)
            convert = re.match(r"convert_nc_([a-z0-9]+)_([a-z0-9]+)$", name)
            if convert:  # a conversion: its source and destination types
                kinds = dict((s.strip("_"), d) for s, d in KERNEL_DTYPES)
                dtype = "%s -> %s" % (kinds.get(convert.group(1), convert.group(1)),
                                      kinds.get(convert.group(2), convert.group(2)))
            if k.startswith("own:"):
                parts.append("own `%s`" % name)
            elif dtype is None:
                raise TableError("%s: cannot tell the data type of %s" % (op, k))
            else:
                parts.append("`%s` (%s)" % (name, dtype))
        if "OwnGemm" in body and op in OWN_KERNEL_OPS:
            when = ""
            if op == "CONV_2D":
                if not re.search(r"kh == 1 && kw == 1 &&\s*o->stride_h\(\) == 1", body):
                    raise TableError("%s: the own GEMM's pointwise condition is not the one this "
                                     "script knows (1x1, stride 1)" % op)
                when = "1x1 stride-1 unpadded, "
            parts.append("own f32 GEMM (%s%s)" % (when, ", ".join(
                "`%s`" % k for k in own_gemm_kernels())))
        if "conv_narrow_name()" in body and op in OWN_KERNEL_OPS:
            names, most = own_narrow_kernels()
            parts.append("own f32 direct convolution (at most %d output channels, not 1x1: %s)" %
                         (most, ", ".join("`%s`" % k for k in names)))
        return ", ".join(parts)
    raise TableError("%s: fast-path factory %s not found" % (op, factory))


def own_gemm_kernels():
    """The names of edgert's own f32 GEMM micro-kernels (src/cpu) that the fast path uses."""
    names = []
    for f in sorted(os.listdir(os.path.join(ROOT, "src", "cpu"))):
        if f.endswith(".cc"):
            names += re.findall(r'"(f32_gemm_\w+)"', read(os.path.join("src", "cpu", f)))
    if 'strstr(cpu::f32_gemm_kernel().name, "scalar") == nullptr' in read(
            "src/xnnpack/own_gemm.cc"):
        names = [n for n in names if "scalar" not in n]  # own_gemm_preferred refuses it
    else:
        raise TableError("FULLY_CONNECTED: src/xnnpack/own_gemm.cc's own_gemm_preferred is not "
                         "the one this script knows")
    if not names:
        raise TableError("FULLY_CONNECTED: no f32_gemm_* kernel name in src/cpu")
    return sorted(set(names))


def own_narrow_kernels():
    names = re.findall(r'"own:(f32_conv_narrow_\w+)"', read("src/xnnpack/own_conv_narrow.cc"))
    m = re.search(r"kNarrowConvMaxChannels = (\d+);", read("src/xnnpack/own_conv_narrow.h"))
    if not names or not m:
        raise TableError("CONV_2D: cannot read the narrow convolution's kernels or channel limit")
    return sorted(set(names)), int(m.group(1))


def reference_notes(xnn_sources):
    """{op: why} for ops a comment in src/xnnpack says stay on the reference kernels."""
    notes = {}
    for name, text in xnn_sources:
        comments = " ".join(re.findall(r"//\s?(.*)", text))
        for sentence in re.split(r"(?<=[.:;])\s+", comments):
            m = re.search(r"\bstays?\b", sentence)
            if not m:
                continue
            for op in re.findall(r"\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\b", sentence[:m.start()]):
                why = ("this XNNPACK has no f32 operator for it" if " has no " in sentence
                       else "kept there on purpose, see src/xnnpack/%s" % name)
                notes.setdefault(op, why)
    return notes


def build_table():
    registry = switch_cases(read("src/runtime/op_registry.cc"), r"\*out = (make_\w+)\(")
    ops_h = read("src/ops/ops.h")
    backend = dict(switch_cases(read("src/xnnpack/xnn_backend.cc"), r"\*op = (make_\w+)\("))
    xnn_dir = os.path.join(ROOT, "src", "xnnpack")
    named_sources = [(f, read(os.path.join("src", "xnnpack", f)))
                     for f in sorted(os.listdir(xnn_dir)) if f.endswith(".cc")]
    xnn_sources = [text for _, text in named_sources]
    notes = reference_notes(named_sources)
    rows = ["| op | reference kernels | fast path (XNNPACK, own micro-kernels) |",
            "|---|---|---|"]
    for op, factory in registry:
        m = re.search(r"%s\([^)]*\);\s*// (\S+\.cc)" % factory, ops_h)
        if not m:
            raise TableError("%s: ops.h does not say which file defines %s" % (op, factory))
        source = read(os.path.join("src", "ops", m.group(1)))
        if op in backend:
            fast = fast_path(op, backend[op], xnn_sources)
        else:
            fast = "reference only" + (" (%s)" % notes[op] if op in notes else "")
        rows.append("| %s | %s | %s |" % (op, reference_dtypes(op, source), fast))
    return "\n".join(rows) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", metavar="README", help="put the table into this file")
    group.add_argument("--check", metavar="README", help="fail when this file's table differs")
    group.add_argument("--print", action="store_true", help="print the table")
    args = ap.parse_args()
    try:
        table = build_table()
    except TableError as e:
        print("ops_table: %s" % e, file=sys.stderr)
        return 1
    if args.print:
        sys.stdout.write(table)
        return 0
    path = args.write or args.check
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        print("ops_table: %s: no %s ... %s markers" % (path, BEGIN, END), file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    wanted = head + BEGIN + "\n" + table + END + tail
    if args.check:
        if wanted != text:
            print("ops_table: %s: the ops table is not what the code gives; run "
                  "scripts/ops_table.py --write %s" % (path, path), file=sys.stderr)
            return 1
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
