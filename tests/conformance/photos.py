"""Photos for the conformance check: decoding to RGB and resizing to a model's input size.

PNG files are decoded here with zlib and numpy only (8-bit and 16-bit, every colour type, not
interlaced), so that the check needs no imaging package and gives the same pixels everywhere.
Other files (JPEG, interlaced PNG) go through Pillow when it is installed.

Resizing is separable, antialiased linear interpolation (a triangle filter that widens with the
shrink factor, like Pillow's BILINEAR), computed in float64 and rounded to uint8, so that a model
sees the photo as an 8-bit image of its input size, as a camera pipeline would give it.
"""

import struct
import zlib

import numpy as np

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Samples per pixel of each PNG colour type: grey, RGB, palette, grey+alpha, RGBA.
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


class PhotoError(Exception):
    """A photo that cannot be read."""


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(raw, width, height, bpp, row_bytes):
    """Undoes PNG's per-row filters (the byte before each row says which one)."""
    out = bytearray(height * row_bytes)
    prev = bytearray(row_bytes)
    pos = 0
    for y in range(height):
        kind = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + row_bytes])
        pos += 1 + row_bytes
        if kind == 1:  # Sub: add the byte one pixel to the left.
            for i in range(bpp, row_bytes):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up: add the byte above (no dependency along the row: vectorized).
            line = bytearray((np.frombuffer(bytes(line), np.uint8) +
                              np.frombuffer(bytes(prev), np.uint8)).tobytes())
        elif kind == 3:  # Average of left and above.
            for i in range(row_bytes):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:  # Paeth predictor of left, above and above-left.
            for i in range(row_bytes):
                if i >= bpp:
                    pred = _paeth(line[i - bpp], prev[i], prev[i - bpp])
                else:
                    pred = prev[i]
                line[i] = (line[i] + pred) & 255
        elif kind != 0:
            raise PhotoError("unknown PNG filter %d in row %d" % (kind, y))
        out[y * row_bytes:(y + 1) * row_bytes] = line
        prev = line
    return bytes(out)


def _read_png(data):
    """RGB uint8 [H, W, 3] of a PNG file's bytes, or raises PhotoError (or NotImplementedError
    for valid files this decoder does not handle)."""
    pos = len(PNG_SIGNATURE)
    header, palette, idat = None, None, []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = np.frombuffer(body, np.uint8).reshape(-1, 3)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None or not idat:
        raise PhotoError("PNG without IHDR or IDAT")
    width, height, depth, color, _, _, interlace = header
    if color not in CHANNELS or depth not in (8, 16) or interlace != 0:
        raise NotImplementedError("PNG colour type %d, depth %d, interlace %d" %
                                  (color, depth, interlace))
    channels = CHANNELS[color]
    bpp = channels * depth // 8
    raw = zlib.decompress(b"".join(idat))
    if len(raw) != height * (1 + width * bpp):
        raise PhotoError("PNG data is %d bytes, expected %d" % (len(raw),
                                                                height * (1 + width * bpp)))
    pixels = np.frombuffer(_unfilter(raw, width, height, bpp, width * bpp), np.uint8)
    if depth == 16:
        pixels = pixels[0::2]  # The high byte of each big-endian sample.
    pixels = pixels.reshape(height, width, channels)
    if color == 3:
        if palette is None:
            raise PhotoError("palette PNG without PLTE")
        return palette[pixels[:, :, 0]]
    if color in (0, 4):
        return np.repeat(pixels[:, :, :1], 3, axis=2)
    return np.ascontiguousarray(pixels[:, :, :3])


def load_rgb(path):
    """The photo at path as RGB uint8 [H, W, 3]."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(PNG_SIGNATURE):
        try:
            return _read_png(data)
        except NotImplementedError:
            pass  # Valid but not handled here: Pillow below.
    try:
        from PIL import Image
    except ImportError:
        raise PhotoError("%s: only 8/16-bit non-interlaced PNG is decoded without Pillow; "
                         "install it (python3 -m pip install pillow) to read this file" % path)
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.uint8)


def _linear_weights(in_size, out_size):
    """[out_size, in_size] weights of a triangle filter mapping pixel centres onto each other;
    the triangle is as wide as the shrink factor so that shrinking averages (no aliasing)."""
    scale = in_size / out_size
    support = max(scale, 1.0)
    centers = (np.arange(out_size) + 0.5) * scale
    taps = np.arange(in_size) + 0.5
    w = np.clip(1.0 - np.abs(taps[None, :] - centers[:, None]) / support, 0.0, None)
    return w / w.sum(axis=1, keepdims=True)


def resize_rgb(image, height, width):
    """image (uint8 [H, W, C]) resized to [height, width, C], uint8."""
    wy = _linear_weights(image.shape[0], height)
    wx = _linear_weights(image.shape[1], width)
    rows = np.tensordot(wy, image.astype(np.float64), axes=(1, 0))   # [height, W, C]
    out = np.tensordot(rows, wx, axes=(1, 1)).transpose(0, 2, 1)    # [height, width, C]
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


# Range of the float image inputs, by model file name (first match wins), as MediaPipe's graphs
# feed each model (ImageToTensorCalculator's output_tensor_float_range): the face detectors take
# [-1, 1]; the landmark, palm, recrop and segmentation models take [0, 1].
FLOAT_RANGES = [("*face_detection*", (-1.0, 1.0))]
DEFAULT_FLOAT_RANGE = (0.0, 1.0)


def float_range(model_file):
    """(low, high) of the float input of the shared model named model_file."""
    import fnmatch  # pylint: disable=import-outside-toplevel
    for pattern, value in FLOAT_RANGES:
        if fnmatch.fnmatch(model_file, pattern):
            return value
    return DEFAULT_FLOAT_RANGE
