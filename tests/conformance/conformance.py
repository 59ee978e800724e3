#!/usr/bin/env python3
"""Conformance: edgert gives TensorFlow Lite's answers on real models.

Usage:
  conformance.py --ert build/ert --models ../shared/models/tflite --images ../shared/images
                 [--seed N] [--only PATTERN] [--work-dir DIR] [--timeout SECONDS]
                 [--builtin-only]

For each .tflite under --models:
 1. `ert convert` makes an .ert once (a failure is reported with ert's message; the model's cases
    then all fail, and the run goes on with the next model).
 2. The input cases: seeded random inputs (float: uniform over the range the model expects;
    uint8: 0..255; int8: -128..127), and, for a model with one RGB image input, each photo under
    --images resized to the input's height and width (float models: scaled to the model's
    range; 8-bit models: the raw pixels).
 3. TensorFlow Lite (ai-edge-litert, builtin kernels, no delegate, 1 thread) and `ert run` on the
    .ert (1 thread) get the same inputs; every element of every output is compared:
      float outputs                        max|ert - tflite| <= 1e-4 * max(1, max|tflite|)
      uint8 / int8 outputs                 within 1 unit on every element
      TFLite_Detection_PostProcess outputs equal (boxes, classes and scores in the slots that
                                           TFLite fills, and the count)
    TFLite has two kernel sets that do not always agree with each other: its builtin (optimized)
    kernels and its reference kernels (8-bit ones can round differently by several units, float
    ones sum in another order), and by default TFLite runs float models on its XNNPACK delegate,
    which fuses multiply-adds and sums in blocks as edgert's fast path does. A case that misses
    a bar against the builtin kernels is run on the reference kernels, then on the XNNPACK
    delegate; it passes when every output is within the bar of one of those runs, and the notes
    say which and how far apart TFLite's answers are.
    When post-processing outputs still differ, the op's uint8 inputs are compared too (through a
    copy of the model that also outputs them), to tell a post-processing bug from a difference
    upstream that moved a box.
 4. A model with MediaPipe's custom op Convolution2DTransposeBias (which TFLite's Python runtime
    lacks) is checked against a copy in which that op is TFLite's TRANSPOSE_CONV with a bias
    (tflite_rewrite.py); in each case TFLite's result for that op is also checked against a
    float64 evaluation of the custom op on TFLite's own input tensors to it, so that the
    reference itself is validated.
Then the functional check: `ert run` on the .tflite of MediaPipe's short-range face detector,
with MediaPipe's preprocessing (128x128, [-1, 1]), must give a high face score (sigmoid of the
largest raw score) on the photo with a face and a low one on the photos without.

It prints a table (model, case, output, max |ert - tflite|, bar, result, notes), the failures'
full messages, the timings, and last a line "N passed, M failed" counting each model and input
case once (and each photo of the face check). The exit status is 1 when anything failed.
"""

import argparse
import fnmatch
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # No __pycache__ left in the source tree by the helpers below.

import photos  # noqa: E402
import tflite_rewrite  # noqa: E402

try:
    from ai_edge_litert import schema_py_generated as tfl
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
except ImportError:
    sys.exit("conformance: TensorFlow Lite's Python package is missing; install it with "
             "python3 -m pip install ai-edge-litert (scripts/install-deps.sh does)")

ERT_RUN_FLAGS = []            # Extra flags of `ert run` (--reference-kernels), from the command line.
FLOAT_REL_BAR = 1e-4         # Float outputs: max|ert - tflite| <= this * max(1, max|tflite|).
QUANT_BAR = 1                # 8-bit outputs: units.
VALIDATION_REL_BAR = 1e-5    # TFLite's rewritten op against the float64 evaluation.
POSTPROCESS = "TFLite_Detection_PostProcess"

FACE_MODEL = "mediapipe__face_detection_short_range.tflite"
FACE_PHOTOS = {"astronaut.png": True, "chelsea.png": False, "coffee.png": False}
FACE_MIN_SCORE = 0.7         # Photo with a face: the best score must be above this.
NO_FACE_MAX_SCORE = 0.5      # Photo without a face: the best score must be below this.

DETAIL_CHARS = 600           # Cap of each message printed under the table.
NOTE_CHARS = 150             # Cap of a message in the table's notes.


class Row:
    """One line of the table. result is "pass", "FAIL" or "info" (not counted)."""

    def __init__(self, model, case, output, diff="-", bar="-", result="FAIL", notes=""):
        self.model, self.case, self.output = model, case, output
        self.diff, self.bar, self.result, self.notes = diff, bar, result, notes


class Report:
    """Rows, per-case outcomes, full messages and timings of the whole run."""

    def __init__(self):
        self.rows = []
        self.passed = 0
        self.failed = 0
        self.details = []      # (title, message)
        self.timings = []      # (model, convert ms, ert invoke ms list, tflite invoke ms list)
        self.face_rows = []    # (photo, expectation, ert score, tflite score, result, notes)

    def case(self, ok, count=1):
        if ok:
            self.passed += count
        else:
            self.failed += count


def short(message, limit=NOTE_CHARS):
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit - 3] + "..."


def file_name_for(tensor_name):
    """The name `ert run` gives an output's file: any character but letters, digits, '_', '.'
    and '-' becomes '_'."""
    name = re.sub(r"[^A-Za-z0-9_.\-]", "_", tensor_name)
    return name or "output"


def selected(model_file, pattern):
    """Whether --only picks this model: a glob on the file name, or a part of it."""
    return fnmatch.fnmatch(model_file, pattern) or pattern in model_file


# ---------------------------------------------------------------------------------------------
# The model as TFLite's schema sees it.

class ModelInfo:
    """Custom ops of a model, and the post-processing op's inputs and outputs if it has one."""

    def __init__(self, data):
        model = tfl.ModelT.InitFromPackedBuf(bytearray(data), 0)
        self.model = model
        self.custom_ops = set()
        self.postprocess = None  # (input tensor indices, output tensor indices)
        sg = model.subgraphs[0]
        for op in sg.operators or []:
            code = model.operatorCodes[op.opcodeIndex]
            if code.customCode is not None:
                name = code.customCode.decode()
                self.custom_ops.add(name)
                if name == POSTPROCESS:
                    self.postprocess = ([int(i) for i in op.inputs],
                                        [int(i) for i in op.outputs])

    def with_outputs(self, extra):
        """Bytes of a copy of the model whose first subgraph also outputs the tensors extra."""
        import flatbuffers
        sg = self.model.subgraphs[0]
        saved = sg.outputs
        sg.outputs = np.concatenate([np.asarray(saved, np.int32),
                                     np.asarray(extra, np.int32)])
        try:
            builder = flatbuffers.Builder(1 << 20)
            builder.Finish(self.model.Pack(builder), file_identifier=b"TFL3")
            return bytes(builder.Output())
        finally:
            sg.outputs = saved


# ---------------------------------------------------------------------------------------------
# The reference: TensorFlow Lite.

# TFLite's kernel sets. The builtin (optimized) kernels are the reference; a case that misses
# the bar against them is compared with the other sets in SECOND_OPINIONS' order. The reference
# kernels are TFLite's own definition of each op and do not always agree with the optimized ones
# (8-bit kernels can round differently by several units; float kernels sum in another order).
# edgert passes when it gives, within the bar, the answer of one of them for every output.
KERNEL_SETS = {
    "builtin": ("TFLite's builtin kernels", "BUILTIN_WITHOUT_DEFAULT_DELEGATES"),
    "reference": ("TFLite's reference kernels", "BUILTIN_REF"),
    # What TFLite runs by default: its XNNPACK delegate, whose float kernels (like edgert's fast
    # path) fuse multiply-adds and sum in blocks, so ill-conditioned outputs move more.
    "xnnpack": ("TFLite's XNNPACK delegate", "AUTO"),
}
SECOND_OPINIONS = ["reference", "xnnpack"]


class Reference:
    """TFLite's interpreter on a model (or on its rewritten copy) with one kernel set, with its
    input and output details; validate() checks the rewritten ops against float64."""

    def __init__(self, path, info, schema, work_dir, content=None, kernels="builtin",
                 rewritten=None, notes=None):
        self.path, self.info, self.schema, self.work_dir = path, info, schema, work_dir
        self.kernels = kernels
        self.notes = list(notes or [])
        self.rewritten = list(rewritten or [])
        if content is None:
            with open(path, "rb") as f:
                content = f.read()
            if tflite_rewrite.CUSTOM_TRANSPOSE_CONV in info.custom_ops:
                content, self.rewritten, notes = tflite_rewrite.rewrite_custom_ops(
                    path, schema, work_dir)
                self.notes.append("reference is TFLite with the custom op %s rewritten as "
                                  "TRANSPOSE_CONV + bias, validated against float64" %
                                  tflite_rewrite.CUSTOM_TRANSPOSE_CONV)
                self.notes += notes
        self.content = content
        self.interp = Interpreter(
            model_content=content, num_threads=1,
            experimental_preserve_all_tensors=bool(self.rewritten),
            experimental_op_resolver_type=getattr(OpResolverType, KERNEL_SETS[kernels][1]))
        self.interp.allocate_tensors()
        self.inputs = self.interp.get_input_details()
        self.outputs = self.interp.get_output_details()
        self._siblings = {kernels: self}

    def with_kernels(self, kernels):
        """The same model (the same copy) on another kernel set; made once."""
        if kernels not in self._siblings:
            other = Reference(self.path, self.info, self.schema, self.work_dir,
                              content=self.content, kernels=kernels, rewritten=self.rewritten,
                              notes=self.notes)
            other._siblings = self._siblings
            self._siblings[kernels] = other
        return self._siblings[kernels]

    def run(self, feeds):
        """[(name, tensor index, value)] of the outputs, and the invoke time in ms."""
        for d in self.inputs:
            self.interp.set_tensor(d["index"], feeds[d["name"]])
        start = time.perf_counter()
        self.interp.invoke()
        ms = (time.perf_counter() - start) * 1000.0
        return [(d["name"], d["index"], self.interp.get_tensor(d["index"]).copy())
                for d in self.outputs], ms

    def validate(self):
        """[(op label, max diff, bar, ok)] of each rewritten op on the last run's tensors."""
        out = []
        for op in self.rewritten:
            get = self.interp.get_tensor
            want = tflite_rewrite.transpose_conv_bias_f64(
                get(op.input), get(op.weights), get(op.bias), op.out_shape, op.padding,
                op.stride_w, op.stride_h)
            got = get(op.output).astype(np.float64)
            label = "op %d (%s)" % (op.op_index, KERNEL_SETS[self.kernels][0])
            if got.shape != want.shape:
                out.append((label, float("inf"), 0.0, False))
                continue
            diff = float(np.max(np.abs(got - want))) if got.size else 0.0
            bar = VALIDATION_REL_BAR * max(1.0, float(np.max(np.abs(want))) if want.size else 0)
            out.append((label, diff, bar, diff <= bar))
        return out


# ---------------------------------------------------------------------------------------------
# Inputs.

def random_input(rng, detail, lo_hi):
    shape, dtype = tuple(detail["shape"]), detail["dtype"]
    if dtype == np.uint8:
        return rng.integers(0, 256, size=shape, dtype=np.uint8)
    if dtype == np.int8:
        return rng.integers(-128, 128, size=shape, dtype=np.int8)
    if np.issubdtype(dtype, np.floating):
        return rng.uniform(lo_hi[0], lo_hi[1], size=shape).astype(dtype)
    return rng.integers(0, 2, size=shape).astype(dtype)


def photo_input(rgb, detail, lo_hi):
    _, height, width, _ = detail["shape"]
    pixels = photos.resize_rgb(rgb, int(height), int(width))[None]
    dtype = detail["dtype"]
    if dtype == np.uint8:
        return pixels
    if dtype == np.int8:
        return (pixels.astype(np.int16) - 128).astype(np.int8)
    lo, hi = lo_hi
    return (lo + pixels.astype(np.float64) / 255.0 * (hi - lo)).astype(dtype)


def image_input(details):
    """The input detail of a model with one RGB image input [1, H, W, 3], else None."""
    if len(details) != 1:
        return None
    shape = list(details[0]["shape"])
    return details[0] if len(shape) == 4 and shape[0] == 1 and shape[3] == 3 else None


def make_cases(model_file, details, photo_list, seed):
    """[(case name, {input name: array})]."""
    lo_hi = photos.float_range(model_file)
    rng = np.random.default_rng([seed, zlib.crc32(model_file.encode())])
    cases = [("random seed %d" % seed,
              {d["name"]: random_input(rng, d, lo_hi) for d in details})]
    image = image_input(details)
    if image is not None:
        for name, rgb in photo_list:
            cases.append((name, {image["name"]: photo_input(rgb, image, lo_hi)}))
    return cases


# ---------------------------------------------------------------------------------------------
# edgert's command line tool.

def run_tool(argv, timeout):
    """(ok, stdout, error message)."""
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, "", "timed out after %d s" % timeout
    except OSError as e:
        return False, "", "cannot start %s: %s" % (argv[0], e)
    if proc.returncode < 0:
        return False, proc.stdout, "crashed with signal %d %s" % (-proc.returncode,
                                                                   proc.stderr.strip())
    if proc.returncode != 0:
        message = proc.stderr.strip() or proc.stdout.strip() or "exit status %d" % proc.returncode
        return False, proc.stdout, message
    return True, proc.stdout, ""


def strip_prefix(message, command, path):
    """ert's message without its 'ert CMD: PATH: ' prefix."""
    for prefix in ("ert %s: %s: " % (command, path), "ert %s: " % command):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def ert_convert(ert, tflite_path, ert_path, timeout):
    """(error message or "", ms that ert reports or the wall time)."""
    start = time.perf_counter()
    ok, out, err = run_tool([ert, "convert", tflite_path, "-o", ert_path], timeout)
    wall = (time.perf_counter() - start) * 1000.0
    if not ok:
        return strip_prefix(err, "convert", tflite_path) or "failed", wall
    m = re.search(r"([0-9.]+) ms\s*$", out.strip())
    return "", float(m.group(1)) if m else wall


def ert_run(ert, model_path, feeds, case_dir, timeout):
    """({file stem: array}, invoke ms or None, error message or "")."""
    os.makedirs(case_dir, exist_ok=True)
    out_dir = os.path.join(case_dir, "ert")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    argv = [ert, "run", model_path, "--threads", "1", "--output-dir", out_dir] + ERT_RUN_FLAGS
    for i, (name, value) in enumerate(sorted(feeds.items())):
        path = os.path.join(case_dir, "input%d.npy" % i)
        np.save(path, value)
        argv += ["--input", "%s=%s" % (name, path)]
    ok, out, err = run_tool(argv, timeout)
    if not ok:
        return {}, None, strip_prefix(err, "run", model_path)
    m = re.search(r"invoke ([0-9.]+) ms", out)
    outputs = {}
    for path in glob.glob(os.path.join(out_dir, "*.npy")):
        outputs[os.path.basename(path)[:-4]] = np.load(path)
    return outputs, float(m.group(1)) if m else None, ""


# ---------------------------------------------------------------------------------------------
# Comparison.

def abs_diff(ref, got):
    """|got - ref| in float64, 0 where both are the same (including both NaN or the same
    infinity), infinite where only one is NaN."""
    a, b = ref.astype(np.float64), got.astype(np.float64)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    with np.errstate(invalid="ignore"):
        d = np.abs(a - b)
    d[same] = 0.0
    d[np.isnan(d)] = np.inf
    return d


def worst_note(d, ref, got, over):
    idx = np.unravel_index(int(np.argmax(d)), d.shape)
    return "%d of %d elements over the bar; worst at %s: ert %r, tflite %r" % (
        int(np.count_nonzero(over)), d.size, list(map(int, idx)), got[idx].item(),
        ref[idx].item())


def compare(ref, got, kind, slots=None):
    """(diff text, bar text, ok, note) of one output. kind: "float", "quant" or "exact".
    slots: for post-processing outputs, how many leading slots (axis 1) TFLite filled.
    The note is None when edgert gave no such output."""
    if got is None:
        return "-", "-", False, None
    if got.shape != ref.shape:
        return "-", "-", False, "shape: ert %s, tflite %s" % (list(got.shape), list(ref.shape))
    if got.dtype != ref.dtype:
        return "-", "-", False, "dtype: ert %s, tflite %s" % (got.dtype, ref.dtype)
    notes = []
    if slots is not None and ref.ndim >= 2 and slots < ref.shape[1]:
        notes.append("first %d of %d slots compared (TFLite leaves the rest unwritten)" %
                     (slots, ref.shape[1]))
        ref, got = ref[:, :slots], got[:, :slots]
    if ref.size == 0:
        return "0", "-", True, "; ".join(notes + ["empty"])
    if kind == "quant":
        d = np.abs(ref.astype(np.int64) - got.astype(np.int64))
        worst = int(d.max())
        ok = worst <= QUANT_BAR
        if not ok:
            notes.append(worst_note(d, ref, got, d > QUANT_BAR))
        elif worst:
            notes.append("%d of %d elements off by 1" % (int(np.count_nonzero(d)), d.size))
        return "%d" % worst, "%d unit" % QUANT_BAR, ok, "; ".join(notes)
    d = abs_diff(ref, got)
    worst = float(d.max())
    if kind == "exact":
        ok = worst == 0.0
        if not ok:
            over = d > 0
            first = tuple(int(i) for i in np.argwhere(over)[0])
            where = ""
            if over.ndim >= 2:
                slots_over = np.argwhere(over.reshape(over.shape[0], over.shape[1], -1)
                                         .any(axis=2))[:, 1]
                where = " (slots %s)" % sorted(set(int(s) for s in slots_over))[:20]
            notes.append("%d of %d elements differ%s; max %.3g; first at %s: ert %r, "
                         "tflite %r" % (int(np.count_nonzero(over)), d.size, where, worst,
                                        list(first), got[first].item(), ref[first].item()))
        return "%.3g" % worst, "0 (equal)", ok, "; ".join(notes)
    finite = ref[np.isfinite(ref)]
    scale = max(1.0, float(np.max(np.abs(finite))) if finite.size else 1.0)
    bar = FLOAT_REL_BAR * scale
    ok = worst <= bar
    if not ok:
        notes.append(worst_note(d, ref, got, d > bar))
    return "%.3g" % worst, "%.3g" % bar, ok, "; ".join(notes)


def output_kind(info, index, dtype):
    if info.postprocess is not None and index in info.postprocess[1]:
        return "exact"
    if np.issubdtype(dtype, np.integer):
        return "quant"
    return "float"


# ---------------------------------------------------------------------------------------------
# One model.

def postprocess_inputs_rows(args, report, model, case, info, ref, feeds, case_dir, state):
    """Info rows comparing the post-processing op's tensor inputs (box encodings, scores) of
    edgert with those of each of TFLite's kernel sets, through a copy of the model that also
    outputs them."""
    if "pp_refs" not in state:
        sg = info.model.subgraphs[0]
        inputs = [i for i in info.postprocess[0]
                  if info.model.buffers[sg.tensors[i].buffer].data is None]
        content = info.with_outputs(inputs)
        copy_path = os.path.join(args.work_dir, model, model + ".pp_inputs.tflite")
        with open(copy_path, "wb") as f:
            f.write(content)
        first = Reference(ref.path, info, args.schema, args.work_dir, content=content)
        state["pp_refs"] = [first.with_kernels(k) for k in KERNEL_SETS]
        state["pp_path"] = copy_path
        state["pp_inputs"] = inputs
    got, _, err = ert_run(args.ert, state["pp_path"], feeds, os.path.join(case_dir, "pp"),
                          args.timeout)
    per_set = [(r.kernels, r.run(feeds)[0]) for r in state["pp_refs"]]
    for index in state["pp_inputs"]:
        name = [n for n, i, _ in per_set[0][1] if i == index][0]
        label = "(%s input) %s" % (POSTPROCESS, name)
        if err:
            report.rows.append(Row(model, case, label, result="info",
                                   notes="ert run of the copy failed: " + short(err)))
            continue
        parts, first = [], None
        for kernels, outputs in per_set:
            value = [v for n, i, v in outputs if i == index][0]
            diff, bar, ok, note = compare(value, got.get(file_name_for(name)), "quant")
            if note is None:
                parts = ["ert wrote no %s.npy" % file_name_for(name)]
                break
            first = first or (diff, bar)
            parts.append("vs %s: %s unit(s)%s" % (KERNEL_SETS[kernels][0], diff,
                                                   ", " + note if note else ""))
        diff, bar = first or ("-", "-")
        report.rows.append(Row(model, case, label, diff, bar, "info",
                               "diagnostic of the op's input: " + "; ".join(parts)))


def validation_rows(model, case, validations):
    return [Row(model, case, "(reference) TRANSPOSE_CONV %s vs float64" % label, "%.3g" % diff,
                "%.3g" % bar, "pass" if ok else "FAIL",
                "" if ok else "TFLite's rewritten op does not compute the custom op: the "
                "reference is wrong") for label, diff, bar, ok in validations]


def compare_outputs(info, ref_outputs, got):
    """[(name, kind, diff, bar, ok, note)] of every output of a case, and whether all pass."""
    count_index = info.postprocess[1][-1] if info.postprocess is not None else None
    slots = None
    for name, index, value in ref_outputs:
        if index == count_index:
            slots = int(round(float(value.reshape(-1)[0])))
    out = []
    for name, index, value in ref_outputs:
        kind = output_kind(info, index, value.dtype)
        stem = file_name_for(name)
        diff, bar, ok, note = compare(value, got.get(stem), kind,
                                      slots if kind == "exact" and index != count_index
                                      else None)
        if note is None:
            note = "ert wrote no %s.npy (it wrote: %s)" % (stem, ", ".join(sorted(got)) or
                                                           "nothing")
        out.append((name, kind, diff, bar, ok, note))
    return out, all(r[4] for r in out)


def check_model(args, report, path, photo_list):
    """Steps: the TFLite reference (builtin kernels) on every case, with the validation of a
    rewritten op; ert convert; then per case ert run and the comparison of every output, and
    when that misses the bar, the comparison with TFLite's reference kernels."""
    model_file = os.path.basename(path)
    model = os.path.splitext(model_file)[0]
    model_dir = os.path.join(args.work_dir, model)
    os.makedirs(model_dir, exist_ok=True)
    with open(path, "rb") as f:
        data = f.read()
    try:
        info = ModelInfo(data)
        ref = Reference(path, info, args.schema, model_dir)
        cases = make_cases(model_file, ref.inputs, photo_list, args.seed)
        timing = [model, None, [], []]
        results = []  # (case, feeds, reference outputs, validations)
        for case, feeds in cases:
            ref_outputs, tflite_ms = ref.run(feeds)
            timing[3].append(tflite_ms)
            results.append((case, feeds, ref_outputs, ref.validate()))
    except Exception as e:  # The reference cannot run: nothing to compare with.
        message = "%s: %s" % (type(e).__name__, e)
        report.rows.append(Row(model, "(all)", "-", notes="TFLite reference failed: " +
                               short(message)))
        report.details.append((model + ": TFLite reference", message))
        report.case(False)
        return
    report.timings.append(timing)

    ert_path = os.path.join(model_dir, model + ".ert")
    err, convert_ms = ert_convert(args.ert, path, ert_path, args.timeout)
    if err:
        # The reference is still checked, so that its validation shows before edgert runs.
        all_cases = "all %d cases" % len(cases)
        for i in range(len(ref.rewritten)):
            checks = [r[3][i] for r in results]
            report.rows += validation_rows(model, all_cases, [(
                checks[0][0], max(c[1] for c in checks), min(c[2] for c in checks),
                all(c[3] for c in checks))])
        notes = "; ".join(ref.notes + ["ert convert failed: " + short(err)])
        report.rows.append(Row(model, all_cases, "-", notes=notes))
        report.details.append((model + ": ert convert", err))
        report.case(False, len(cases))
        return
    timing[1] = convert_ms

    notes_once = list(ref.notes)
    state = {}
    for case, feeds, ref_outputs, validations in results:
        case_dir = os.path.join(model_dir, re.sub(r"[^A-Za-z0-9_.\-]", "_", case))
        got, invoke_ms, err = ert_run(args.ert, ert_path, feeds, case_dir, args.timeout)
        if err:
            report.rows += validation_rows(model, case, validations)
            report.rows.append(Row(model, case, "-", notes="ert run failed: " + short(err)))
            report.details.append(("%s, %s: ert run" % (model, case), err))
            report.case(False)
            continue
        if invoke_ms is not None:
            timing[2].append(invoke_ms)
        rows, ok = compare_outputs(info, ref_outputs, got)
        extra = [""] * len(rows)
        if not ok and got and not args.builtin_only:
            # Second opinions from TFLite's other kernel sets (see KERNEL_SETS), in order.
            for kernels in SECOND_OPINIONS:
                alt = ref.with_kernels(kernels)
                alt_outputs, _ = alt.run(feeds)
                alt_rows, alt_ok = compare_outputs(info, alt_outputs, got)
                spread, _ = compare_outputs(info, alt_outputs,
                                            {file_name_for(n): v for n, _, v in ref_outputs})
                if alt_ok:
                    # Under the delegate TFLite's intermediate tensors are not observable, so
                    # the rewritten op is validated on the builtin run of the same copy only.
                    if kernels != "xnnpack":
                        validations = validations + alt.validate()
                    for i, (r, sp) in enumerate(zip(rows, spread)):
                        if not r[4]:
                            extra[i] = ("matches %s; against %s: %s, over the bar (the two "
                                        "differ by %s here)" % (KERNEL_SETS[kernels][0],
                                                                KERNEL_SETS["builtin"][0], r[2],
                                                                sp[2]))
                        else:
                            extra[i] = "against %s (within the bar of %s too: %s)" % (
                                KERNEL_SETS[kernels][0], KERNEL_SETS["builtin"][0], r[2])
                    rows, ok = alt_rows, True
                    break
                for i, r in enumerate(alt_rows):
                    if not rows[i][4]:
                        extra[i] += "%sagainst %s: %s%s" % ("; " if extra[i] else "",
                                                           KERNEL_SETS[kernels][0], r[2],
                                                           ", within the bar" if r[4] else "")
        report.rows += validation_rows(model, case, validations)
        ok = ok and all(v[3] for v in validations)
        exact_failed = False
        for (name, kind, diff, bar, row_ok, note), more in zip(rows, extra):
            notes = notes_once + [n for n in (more, note) if n]
            notes_once = []
            report.rows.append(Row(model, case, name, diff, bar, "pass" if row_ok else "FAIL",
                                   "; ".join(notes)))
            exact_failed |= kind == "exact" and not row_ok
        if exact_failed:
            postprocess_inputs_rows(args, report, model, case, info, ref, feeds, case_dir,
                                    state)
        report.case(ok)


# ---------------------------------------------------------------------------------------------
# The functional check: faces.

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def face_check(args, report, photo_list):
    path = os.path.join(args.models, FACE_MODEL)
    by_name = dict(photo_list)
    wanted = [(name, face) for name, face in sorted(FACE_PHOTOS.items())]
    if not os.path.exists(path):
        for name, face in wanted:
            report.face_rows.append((name, "", "-", "-", "FAIL", "%s not found" % FACE_MODEL))
            report.case(False)
        return
    try:
        with open(path, "rb") as f:
            ref = Reference(path, ModelInfo(f.read()), args.schema, args.work_dir)
    except Exception as e:  # No reference scores, but edgert's can still be judged.
        ref = None
        report.details.append(("face check: TFLite reference", "%s: %s" % (type(e).__name__, e)))
    detail = {"name": "input", "shape": [1, 128, 128, 3], "dtype": np.float32}
    scores_name = "classificators"
    if ref is not None:
        detail = ref.inputs[0]
        scores_name = [d["name"] for d in ref.outputs if d["shape"][-1] == 1][0]
    for name, face in wanted:
        expect = "> %.1f (face)" % FACE_MIN_SCORE if face else "< %.1f (no face)" % \
            NO_FACE_MAX_SCORE
        if name not in by_name:
            report.face_rows.append((name, expect, "-", "-", "FAIL", "photo not found"))
            report.case(False)
            continue
        x = photo_input(by_name[name], detail, (-1.0, 1.0))
        tflite_score = float("nan")
        if ref is not None:
            outputs, _ = ref.run({detail["name"]: x})
            tflite_score = float(sigmoid(max(float(v.max()) for n, i, v in outputs
                                             if n == scores_name)))
        got, _, err = ert_run(args.ert, path, {detail["name"]: x},
                              os.path.join(args.work_dir, "face_check", name), args.timeout)
        raw = got.get(file_name_for(scores_name))
        if err or raw is None:
            message = err or "ert wrote no %s.npy" % file_name_for(scores_name)
            report.face_rows.append((name, expect, "-", "%.3f" % tflite_score, "FAIL",
                                     "ert run failed: " + short(message)))
            report.details.append(("face check, %s: ert run" % name, message))
            report.case(False)
            continue
        score = float(sigmoid(float(raw.max())))
        ok = score > FACE_MIN_SCORE if face else score < NO_FACE_MAX_SCORE
        report.face_rows.append((name, expect, "%.3f" % score, "%.3f" % tflite_score,
                                 "pass" if ok else "FAIL", ""))
        report.case(ok)


# ---------------------------------------------------------------------------------------------
# Output.

def print_table(headers, rows):
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers) - 1)]
    for r in [headers] + rows:
        cells = ["%-*s" % (w, c) for w, c in zip(widths, r[:-1])]
        print("  ".join(cells + [str(r[-1])]).rstrip())


def print_report(report, total_s):
    print_table(["model", "case", "output", "max |ert - tflite|", "bar", "result", "notes"],
                [[r.model, r.case, r.output, r.diff, r.bar, r.result, r.notes]
                 for r in report.rows])
    if report.face_rows:
        print()
        print("Face check: ert run %s, 128x128 input in [-1, 1], score = sigmoid(max raw "
              "score)" % FACE_MODEL)
        print_table(["photo", "expected", "ert score", "tflite score", "result", "notes"],
                    [list(r) for r in report.face_rows])
    if report.details:
        print()
        print("Failures (messages longer than %d characters are cut):" % DETAIL_CHARS)
        seen = {}
        for title, message in report.details:
            if message in seen:
                print("* %s: the same as %s" % (title, seen[message]))
            else:
                seen[message] = title
                print("* %s: %s" % (title, short(message, DETAIL_CHARS)))
    print()
    print("Timings (ms; ert invoke as ert run reports it, TFLite invoke from Python):")
    def mean(values):
        return "%.1f" % (sum(values) / len(values)) if values else "-"

    print_table(["model", "ert convert", "ert invoke", "tflite invoke", ""],
                [[m, "-" if c is None else "%.1f" % c, mean(e), mean(t), ""]
                 for m, c, e, t in report.timings])
    print("total %.1f s" % total_s)
    print()
    print("%d passed, %d failed" % (report.passed, report.failed))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ert", required=True, help="the ert tool")
    parser.add_argument("--models", required=True, help="folder of .tflite models")
    parser.add_argument("--images", required=True, help="folder of photos (PNG)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random inputs")
    parser.add_argument("--only", default="*",
                        help="check only the models whose file name matches this glob or "
                        "contains this text")
    parser.add_argument("--reference-kernels", action="store_true",
                        help="run edgert on its reference kernels only (the fast path off)")
    parser.add_argument("--work-dir", help="keep inputs, outputs and model copies here")
    parser.add_argument("--builtin-only", action="store_true",
                        help="compare with TFLite's builtin kernels only (no second opinion "
                        "from its reference kernels)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per ert command")
    parser.add_argument("--schema", default=os.path.normpath(
        os.path.join(HERE, "..", "..", "src", "convert", "tflite_schema.fbs")),
        help="edgert's TFLite schema, for flatc")
    args = parser.parse_args()
    if args.reference_kernels:
        ERT_RUN_FLAGS.append("--reference-kernels")
    start = time.perf_counter()

    args.ert = os.path.abspath(args.ert)
    if not os.access(args.ert, os.X_OK):
        sys.exit("conformance: %s is not an executable" % args.ert)
    if not os.path.isdir(args.models):
        sys.exit("conformance: no models folder %s" % args.models)
    if not os.path.isdir(args.images):
        sys.exit("conformance: no images folder %s" % args.images)
    models = sorted(p for p in glob.glob(os.path.join(args.models, "*.tflite"))
                    if selected(os.path.basename(p), args.only))
    if not models:
        sys.exit("conformance: no .tflite under %s matches %s" % (args.models, args.only))
    temp = None
    if args.work_dir is None:
        temp = tempfile.mkdtemp(prefix="ert-conformance-")
        args.work_dir = temp
    os.makedirs(args.work_dir, exist_ok=True)

    report = Report()
    photo_list = []
    for path in sorted(glob.glob(os.path.join(args.images, "*"))):
        if os.path.splitext(path)[1].lower() in (".png", ".jpg", ".jpeg"):
            try:
                photo_list.append((os.path.basename(path), photos.load_rgb(path)))
            except Exception as e:  # A photo that cannot be read fails the run, loudly.
                report.rows.append(Row("-", os.path.basename(path), "-",
                                       notes="cannot read the photo: %s" % e))
                report.case(False)
    try:
        for path in models:
            try:
                check_model(args, report, path, photo_list)
            except Exception as e:  # A bug here must not hide the other models' results.
                name = os.path.splitext(os.path.basename(path))[0]
                report.rows.append(Row(name, "-", "-", notes="conformance.py failed: %s: %s" %
                                       (type(e).__name__, short(str(e)))))
                report.case(False)
        if selected(FACE_MODEL, args.only):
            face_check(args, report, photo_list)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    print_report(report, time.perf_counter() - start)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
