"""MediaPipe's short-range BlazeFace post-processing in numpy, for tests (independent of edgert's
C++ decoding in examples/face_detect.cpp, which tests/examples/face_detect_check.py compares with).

  1. Anchors: SSD anchors of unit size on a 128x128 input, strides 8, 16, 16, 16, two per cell and
     layer; layers of equal stride share a grid; centres at cell middles.
  2. Each anchor's 16 regressor values: box centre offset, size, then 6 keypoints (x, y), all in
     input pixels; the score is the sigmoid of the clipped logit.
  3. Weighted non-max suppression: every kept face is the score-weighted mean of the candidates
     whose IoU with the best remaining one exceeds 0.3.
"""

import numpy as np

INPUT_SIZE = 128
SCORE_THRESHOLD = 0.5
NMS_IOU = 0.3


def anchors():
    """[896, 2] anchor centres (x, y) in [0, 1], in the model's output order."""
    out = []
    strides = [8, 16, 16, 16]
    layer = 0
    while layer < len(strides):
        last = layer
        while last < len(strides) and strides[last] == strides[layer]:
            last += 1
        per_cell = 2 * (last - layer)
        cells = INPUT_SIZE // strides[layer]
        for y in range(cells):
            for x in range(cells):
                out.extend([((x + 0.5) / cells, (y + 0.5) / cells)] * per_cell)
        layer = last
    return np.array(out, dtype=np.float64)


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def detect(regressors, classificators, score_threshold=SCORE_THRESHOLD):
    """Faces, best first, as (score, box [x0, y0, x1, y1], keypoints [6, 2]) in [0, 1] of the
    input, from the model's two outputs."""
    raw = regressors.reshape(-1, 16).astype(np.float64)
    logits = classificators.reshape(-1).astype(np.float64)
    centres = anchors()
    scores = 1.0 / (1.0 + np.exp(-np.clip(logits, -100, 100)))
    cx = raw[:, 0] / INPUT_SIZE + centres[:, 0]
    cy = raw[:, 1] / INPUT_SIZE + centres[:, 1]
    w = raw[:, 2] / INPUT_SIZE
    h = raw[:, 3] / INPUT_SIZE
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
    keypoints = raw[:, 4:16].reshape(-1, 6, 2) / INPUT_SIZE + centres[:, None, :]
    order = [i for i in np.argsort(-scores) if scores[i] >= score_threshold]
    faces = []
    while order:
        best = order[0]
        group = [i for i in order if iou(boxes[best], boxes[i]) > NMS_IOU]
        weights = scores[group]
        box = (boxes[group] * weights[:, None]).sum(0) / weights.sum()
        points = (keypoints[group] * weights[:, None, None]).sum(0) / weights.sum()
        faces.append((float(scores[best]), box, points))
        order = [i for i in order if i not in group]
    return faces
