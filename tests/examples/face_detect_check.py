#!/usr/bin/env python3
"""examples/face_detect against TensorFlow Lite running the same face detector on the same photos.

  1. `ert convert` the short-range BlazeFace .tflite to .ert.
  2. Photos: every one in --photos, and the astronaut cut wide and tall (so the letterbox pads
     both ways), written as PPM.
  3. Reference: the photo letterboxed into 128x128 here (numpy, photos.resize_rgb), TensorFlow
     Lite's interpreter, and blazeface.py's decoding, mapped back to photo pixels.
  4. face_detect on the photo (its own stb resize, edgert, its C++ decoding, several invokes):
     the same number of faces, each box with IoU >= 0.9 to the reference's, keypoints within
     5% of the box width, scores within 0.05; the astronaut photos must hold exactly one face
     (so the check cannot pass on two empty answers); the written PNG has the photo's size and
     the box's colour on the box's top edge.
  5. Bad input: a missing photo and a model that is not a face detector each give exit status 1
     and one line on stderr naming the file.
Prints one line per check and "N passed, M failed"; exit status 1 when anything failed.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "conformance"))
import blazeface  # noqa: E402  pylint: disable=wrong-import-position
import photos  # noqa: E402  pylint: disable=wrong-import-position

BOX_COLOUR = (0, 230, 64)  # examples/face_detect.cpp's box colour
IOU_BAR = 0.9
KEYPOINT_BAR = 0.05  # of the box width
SCORE_BAR = 0.05
FACE_LINE = re.compile(r"^face (\d+): score ([0-9.]+) box ([-0-9. ]+) keypoints (.*)$")


def write_ppm(path, image):
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (image.shape[1], image.shape[0]))
        f.write(np.ascontiguousarray(image).tobytes())


def reference_faces(interpreter, image):
    """TFLite's faces on image: (score, box [4], keypoints [6, 2]) in photo pixels."""
    h, w = image.shape[:2]
    size = blazeface.INPUT_SIZE
    scale = min(size / w, size / h)
    rw, rh = max(1, int(round(w * scale))), max(1, int(round(h * scale)))
    x0, y0 = (size - rw) // 2, (size - rh) // 2
    x = np.full((size, size, 3), -1.0, dtype=np.float32)
    x[y0:y0 + rh, x0:x0 + rw] = photos.resize_rgb(image, rh, rw).astype(np.float32) / 127.5 - 1.0
    inp = interpreter.get_input_details()[0]
    interpreter.set_tensor(inp["index"], x[None])
    interpreter.invoke()
    out = {d["name"]: interpreter.get_tensor(d["index"]) for d in interpreter.get_output_details()}
    faces = []
    for score, box, points in blazeface.detect(out["regressors"], out["classificators"]):
        pad = np.array([x0, y0], dtype=np.float64)
        box_px = (box.reshape(2, 2) * size - pad) / scale
        points_px = (points * size - pad) / scale
        faces.append((score, box_px.reshape(4), points_px))
    return faces


def parse_faces(stdout):
    faces = []
    for line in stdout.splitlines():
        m = FACE_LINE.match(line)
        if not m:
            continue
        box = np.array([float(v) for v in m.group(3).split()])
        fields = m.group(4).split()
        points = np.array([[float(fields[i + 1]), float(fields[i + 2])]
                           for i in range(0, len(fields), 3)])
        faces.append((float(m.group(2)), box, points))
    return faces


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        print("%-4s %s" % ("ok" if ok else "FAIL", what))
        if ok:
            self.passed += 1
        else:
            self.failed += 1


def compare(checks, name, want, got):
    checks.check(len(want) == len(got),
                 "%s: %d face(s) from face_detect, %d from TFLite" % (name, len(got), len(want)))
    for i, (score, box, points) in enumerate(want):
        best = max(got, key=lambda f, b=box: blazeface.iou(b, f[1]), default=None)
        if best is None:
            continue
        overlap = blazeface.iou(box, best[1])
        width = box[2] - box[0]
        point_err = float(np.abs(best[2] - points).max()) / width if len(best[2]) == 6 else 1.0
        checks.check(overlap >= IOU_BAR and point_err <= KEYPOINT_BAR and
                     abs(best[0] - score) <= SCORE_BAR,
                     "%s: face %d IoU %.3f (bar %.2f), keypoints off by %.3f of the box "
                     "(bar %.2f), score %.3f vs %.3f" % (name, i + 1, overlap, IOU_BAR, point_err,
                                                         KEYPOINT_BAR, best[0], score))


def run(argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--face-detect", required=True, help="the examples/face_detect binary")
    ap.add_argument("--ert", required=True, help="the ert tool")
    ap.add_argument("--model", required=True, help="face_detection_short_range.tflite")
    ap.add_argument("--photos", required=True, help="folder of photos (astronaut.png among them)")
    ap.add_argument("--other-model", required=True, help="a .tflite that is not a face detector")
    args = ap.parse_args()

    from ai_edge_litert.interpreter import Interpreter  # pylint: disable=import-outside-toplevel
    interpreter = Interpreter(model_path=args.model)
    interpreter.allocate_tensors()
    checks = Checks()
    with tempfile.TemporaryDirectory() as work:
        model = os.path.join(work, "face.ert")
        p = run([args.ert, "convert", args.model, "-o", model])
        checks.check(p.returncode == 0, "ert convert %s" % os.path.basename(args.model))
        if p.returncode != 0:
            print(p.stderr)
            return 1

        cases = []
        for name in sorted(os.listdir(args.photos)):
            if name.lower().endswith((".png", ".jpg", ".jpeg")):
                path = os.path.join(args.photos, name)
                cases.append((name, path, photos.load_rgb(path)))
        astronaut = photos.load_rgb(os.path.join(args.photos, "astronaut.png"))
        for name, crop in [("astronaut_wide.ppm", astronaut[30:250, :]),
                           ("astronaut_tall.ppm", astronaut[:, 110:340])]:
            path = os.path.join(work, name)
            write_ppm(path, crop)
            cases.append((name, path, crop))

        for name, path, image in cases:
            want = reference_faces(interpreter, image)
            if name.startswith("astronaut"):
                checks.check(len(want) == 1, "%s: TFLite finds the one face (%d)" % (name, len(want)))
            out_png = os.path.join(work, name + "_faces.png")
            p = run([args.face_detect, model, path, "-o", out_png, "--runs", "3"])
            checks.check(p.returncode == 0, "%s: face_detect exits 0 %s" % (name, p.stderr.strip()))
            if p.returncode != 0:
                continue
            got = parse_faces(p.stdout)
            compare(checks, name, want, got)
            drawn = photos.load_rgb(out_png)
            checks.check(drawn.shape == image.shape,
                         "%s: the PNG is %s like the photo" % (name, "x".join(map(str, drawn.shape))))
            for _, box, _ in got:
                x = int(round((box[0] + box[2]) / 2))
                y = min(max(int(round(box[1])) + 1, 0), drawn.shape[0] - 1)
                checks.check(tuple(int(v) for v in drawn[y, x]) == BOX_COLOUR,
                             "%s: the box's top edge is drawn at (%d, %d)" % (name, x, y))

        missing = os.path.join(work, "no_such_photo.png")
        p = run([args.face_detect, model, missing])
        checks.check(p.returncode == 1 and missing in p.stderr and
                     len(p.stderr.strip().splitlines()) == 1,
                     "a missing photo: exit %d, %r" % (p.returncode, p.stderr.strip()))
        other = os.path.join(work, "other.ert")
        run([args.ert, "convert", args.other_model, "-o", other])
        p = run([args.face_detect, other, os.path.join(args.photos, "astronaut.png")])
        checks.check(p.returncode == 1 and other in p.stderr and
                     len(p.stderr.strip().splitlines()) == 1,
                     "not a face detector: exit %d, %r" % (p.returncode, p.stderr.strip()))

    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
