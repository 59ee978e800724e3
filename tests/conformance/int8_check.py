#!/usr/bin/env python3
"""edgert's own int8 models (`ert convert --precision int8`) against its fp32 ones, on photos.

For each float model in --models (the shared MediaPipe models):
  1. `ert convert` it to fp32 and to int8, calibrated on the photos of --photos (resized to the
     input; normalized to the range MediaPipe feeds the model, as conformance.py has it).
  2. `ert run` both on each photo (decoded and resized by photos.py, so the inputs are the
     conformance check's); every int8 output must be finite, and its error relative to the fp32
     output's largest magnitude is reported.
  3. The face detector's detections: BlazeFace anchors, score threshold 0.5, weighted non-max
     suppression, as MediaPipe's short-range face graph decodes them; on every photo the int8
     model must find as many faces as the fp32 one, each box with IoU >= 0.9 to its fp32 box.
Prints one table (model, photo, output, relative error, result) and the sizes of the files,
then "N passed, M failed"; the exit status is 1 when anything failed.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import blazeface  # noqa: E402  pylint: disable=wrong-import-position
import photos  # noqa: E402  pylint: disable=wrong-import-position

FACE_MODEL = "mediapipe__face_detection_short_range.tflite"
FACE_IOU_BAR = 0.9


def run(argv):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    if p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(argv[:2]), (p.stderr or p.stdout).strip()))
    return p.stdout


def ert_outputs(ert, model, input_name, x, work):
    os.makedirs(work, exist_ok=True)
    feed = os.path.join(work, "input.npy")
    np.save(feed, x)
    run([ert, "run", model, "--input", "%s=%s" % (input_name, feed), "--output-dir", work])
    return {f[:-4]: np.load(os.path.join(work, f)) for f in os.listdir(work)
            if f.endswith(".npy") and f != "input.npy"}


def input_info(ert, model):
    """Name and shape of the model's input, from `ert inspect` ("  input  NAME  f32  [1,H,W,C]")."""
    for line in run([ert, "inspect", model]).splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == "input":
            return fields[1], [int(d) for d in fields[3].strip("[]").split(",")]
    raise RuntimeError("%s: ert inspect shows no input" % model)


def detect_faces(outputs):
    """(score, box) of each face, best first, box in [0, 1] of the input (blazeface.py)."""
    faces = blazeface.detect(outputs["regressors"], outputs["classificators"])
    return [(score, box) for score, box, _ in faces]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ert", required=True)
    ap.add_argument("--models", required=True, help="folder of .tflite float models")
    ap.add_argument("--photos", required=True, help="folder of photos (calibration and checks)")
    ap.add_argument("--work-dir", default=None, help="keep the converted models here")
    args = ap.parse_args()
    if args.work_dir:
        return check(args, args.work_dir)
    with tempfile.TemporaryDirectory(prefix="ert_int8_") as work:
        return check(args, work)


def check(args, work):
    photo_files = sorted(f for f in os.listdir(args.photos) if f.endswith(".png"))
    models = sorted(f for f in os.listdir(args.models) if f.startswith("mediapipe__") and
                    f.endswith(".tflite"))
    if not models or not photo_files:
        print("int8_check: no models in %s or no photos in %s" % (args.models, args.photos))
        return 1
    rows, sizes = [], []
    passed = failed = 0
    for model in models:
        name = model[:-len(".tflite")]
        src = os.path.join(args.models, model)
        lo, hi = photos.float_range(model)
        fp32 = os.path.join(work, name + ".ert")
        int8 = os.path.join(work, name + "_int8.ert")
        # Step 1: bytes b map to lo + b / 255 * (hi - lo) = (b - mean) / std.
        std = 255.0 / (hi - lo)
        mean = -lo * std
        try:
            run([args.ert, "convert", src, "-o", fp32])
            summary = run([args.ert, "convert", src, "-o", int8, "--precision", "int8",
                           "--calibration", args.photos, "--input-mean", repr(mean),
                           "--input-std", repr(std)])
            in_name, shape = input_info(args.ert, fp32)
        except RuntimeError as e:
            rows.append([name, "-", "-", "-", "FAIL", str(e)])
            failed += 1
            continue
        int8_line = [l for l in summary.splitlines() if l.startswith("int8:")]
        sizes.append((name, os.path.getsize(fp32), os.path.getsize(int8),
                      int8_line[0][len("int8: "):].split(";")[0] if int8_line else "?"))
        for photo in photo_files:
            rgb = photos.load_rgb(os.path.join(args.photos, photo))
            pixels = photos.resize_rgb(rgb, shape[1], shape[2]).astype(np.float64)
            x = (lo + pixels / 255.0 * (hi - lo)).astype(np.float32)[None]
            # Step 2.
            try:
                want = ert_outputs(args.ert, fp32, in_name, x, os.path.join(work, name, photo, "fp32"))
                got = ert_outputs(args.ert, int8, in_name, x, os.path.join(work, name, photo, "int8"))
            except RuntimeError as e:
                rows.append([name, photo, "-", "-", "FAIL", str(e)])
                failed += 1
                continue
            ok = True
            for out in sorted(want):
                a, b = want[out].astype(np.float64), got[out].astype(np.float64)
                finite = bool(np.isfinite(b).all()) and a.shape == b.shape
                rel = float(np.abs(a - b).max() / max(np.abs(a).max(), 1e-30)) if finite else float("nan")
                rows.append([name, photo, out, "%.3g" % rel, "pass" if finite else "FAIL",
                             "" if finite else "not finite or another shape"])
                ok &= finite
            # Step 3.
            if model == FACE_MODEL:
                fa, fb = detect_faces(want), detect_faces(got)
                ious = [max((blazeface.iou(box, other) for _, other in fb), default=0.0)
                        for _, box in fa]
                face_ok = len(fa) == len(fb) and all(v >= FACE_IOU_BAR for v in ious)
                rows.append([name, photo, "faces", "fp32 %d, int8 %d" % (len(fa), len(fb)),
                             "pass" if face_ok else "FAIL",
                             "IoU " + ", ".join("%.3f" % v for v in ious) if ious else "no faces"])
                ok &= face_ok
            passed += ok
            failed += not ok
    widths = [max(len(str(r[i])) for r in rows + [["model", "photo", "output", "int8 vs fp32", "result"]])
              for i in range(5)]
    for r in [["model", "photo", "output", "int8 vs fp32", "result", "notes"]] + rows:
        print("  ".join("%-*s" % (w, c) for w, c in zip(widths, r[:5])) + "  " + str(r[5]))
    print()
    print("int8 vs fp32 is max |int8 - fp32| / max |fp32| per output (information; the bars are "
          "finite outputs and, for %s, the faces)" % FACE_MODEL)
    print()
    for name, a, b, ops in sizes:
        print("%-36s fp32 %8d bytes, int8 %8d bytes (%.2fx); %s" % (name, a, b, b / a, ops))
    print()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
