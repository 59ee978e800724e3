#!/usr/bin/env bash
# The main job: face detection on a photo, from nothing.
#   1. Installs what is missing (scripts/install-deps.sh) and builds (scripts/build.sh).
#   2. Obtains MediaPipe's short-range face detector from PyPI: the mediapipe wheel (pinned, with
#      the model's sha256 checked) is fetched with `pip download` and the .tflite taken out of it.
#      Nothing is installed from it.
#   3. Obtains the photo: the one named on the command line, or the public-domain astronaut
#      picture (Eileen Collins, NASA) taken out of Debian's python3-skimage package with
#      `apt-get download` (the package is not installed).
#   4. Converts the model with `ert convert`, then runs examples/face_detect on the photo: it
#      prints the faces and the timings and writes the photo with boxes and keypoints drawn.
#
# Usage: scripts/demo.sh [PHOTO] [face_detect options, e.g. --threads 2]
# Output: build/demo/<photo>_faces.png. Downloads are kept in build/demo/ and reused.
set -euo pipefail
cd "$(dirname "$0")/.."

MEDIAPIPE_VERSION=0.10.21
MODEL_IN_WHEEL=mediapipe/modules/face_detection/face_detection_short_range.tflite
MODEL_SHA256=bbff11cebd1eb27a1e004cae0b0e63ec8c551cbf34a4451148b4908b8db3eca8
PHOTO_PACKAGE=python3-skimage
PHOTO_IN_PACKAGE=./usr/lib/python3/dist-packages/skimage/data/astronaut.png
DEMO=build/demo

photo=""
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  photo=$1
  shift
  [ -r "$photo" ] || { echo "demo: $photo: no such photo (or not readable)" >&2; exit 1; }
fi

scripts/install-deps.sh
scripts/build.sh
mkdir -p "$DEMO"

# 2. The model, from the mediapipe wheel on PyPI. The platform is named so that the same wheel
#    (and so the same model bytes) comes on any machine; only the .tflite is used.
model_tflite="$DEMO/face_detection_short_range.tflite"
if [ ! -s "$model_tflite" ] || ! echo "$MODEL_SHA256  $model_tflite" | sha256sum -c --status; then
  echo "== fetching mediapipe $MEDIAPIPE_VERSION from PyPI for its face detector"
  python3 -m pip download -q --no-deps --only-binary=:all: --platform manylinux_2_28_x86_64 \
    --python-version 3.11 --implementation cp --abi cp311 \
    "mediapipe==$MEDIAPIPE_VERSION" -d "$DEMO/pip"
  python3 - "$DEMO/pip" "$MODEL_IN_WHEEL" "$model_tflite" <<'EOF'
import glob, sys, zipfile
folder, member, out = sys.argv[1:]
wheels = sorted(glob.glob(folder + "/mediapipe-*.whl"))
if not wheels:
    sys.exit("demo: pip download left no mediapipe wheel in " + folder)
with zipfile.ZipFile(wheels[-1]) as z, open(out, "wb") as f:
    f.write(z.read(member))
EOF
  if ! echo "$MODEL_SHA256  $model_tflite" | sha256sum -c --status; then
    echo "demo: $model_tflite: sha256 is not $MODEL_SHA256 (not the model this demo was made for)" >&2
    exit 1
  fi
fi

# 3. The photo, from Debian's python3-skimage (downloaded, unpacked here, not installed).
if [ -z "$photo" ]; then
  photo="$DEMO/astronaut.png"
  if [ ! -s "$photo" ]; then
    echo "== fetching the astronaut photo from Debian's $PHOTO_PACKAGE"
    rm -rf "$DEMO/deb" && mkdir -p "$DEMO/deb"
    # apt-get download needs the package lists; a machine that never ran apt-get update has none.
    if ! (cd "$DEMO/deb" && apt-get download -q "$PHOTO_PACKAGE" 2> apt.log); then
      sudo_cmd=()
      if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
      "${sudo_cmd[@]}" apt-get update -qq
      (cd "$DEMO/deb" && apt-get download -q "$PHOTO_PACKAGE" 2> apt.log) ||
        { cat "$DEMO/deb/apt.log" >&2; echo "demo: apt-get download $PHOTO_PACKAGE failed" >&2; exit 1; }
    fi
    dpkg-deb --fsys-tarfile "$DEMO"/deb/"$PHOTO_PACKAGE"_*.deb | tar -x -O "$PHOTO_IN_PACKAGE" > "$photo"
  fi
fi

# 4. Convert, then detect.
model_ert="$DEMO/face_detection_short_range.ert"
echo "== build/ert convert $model_tflite -o $model_ert"
build/ert convert "$model_tflite" -o "$model_ert"
name=$(basename "$photo")
out="$DEMO/${name%.*}_faces.png"
echo "== build/examples/face_detect $model_ert $photo -o $out $*"
build/examples/face_detect "$model_ert" "$photo" -o "$out" "$@"
