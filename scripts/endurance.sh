#!/usr/bin/env bash
# Endurance: 100,000 invokes of one shared model, and resident memory must stay flat after the
# warm-up. The model is MediaPipe's hand_recrop (the smallest shared model), converted with
# `ert convert`; `ert bench --num-runs 100000 --min-secs 0 --json` runs it and reads VmRSS right
# after the warm-up runs and again after the last run. The script prints both and fails when
# the growth passes the bound.
#
#   scripts/endurance.sh
#   ENDURANCE_RUNS=1000000 ENDURANCE_THREADS=2 scripts/endurance.sh   (bench caps runs at 100000)
#
# Bound: ENDURANCE_SLACK_KB (default 256 KiB) plus the bench's own timing buffer. ert bench
# reserves 8 bytes per run before it reads the first figure and fills them during the runs, so
# up to 8 * runs bytes (781 KiB for 100,000) of growth are the tool's, not the engine's.
#
# Time here (2 vCPUs shared with other builds): about 1 min of runs (hand_recrop takes about
# 0.5 ms per invoke), plus a Release build when build/ has no ert yet (scripts/build.sh).
#
# Needs: the ert tool (ERT=path, default build/ert from scripts/build.sh), python3 (to read the
# JSON), ../shared/models/tflite/mediapipe__hand_recrop.tflite (ENDURANCE_MODEL to use another).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ERT="${ERT:-$ROOT/build/ert}"
MODEL="${ENDURANCE_MODEL:-$ROOT/../shared/models/tflite/mediapipe__hand_recrop.tflite}"
RUNS="${ENDURANCE_RUNS:-100000}"
THREADS="${ENDURANCE_THREADS:-1}"
WARMUP="${ENDURANCE_WARMUP:-100}"
SLACK_KB="${ENDURANCE_SLACK_KB:-256}"

if [ ! -f "$MODEL" ]; then
  echo "endurance.sh: $MODEL not found" >&2
  exit 1
fi
if [ ! -x "$ERT" ]; then
  echo "endurance.sh: $ERT not built yet: scripts/build.sh"
  "$ROOT/scripts/build.sh"
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
case "$MODEL" in
  *.tflite)
    ert_model="$WORK/$(basename "$MODEL" .tflite).ert"
    "$ERT" convert "$MODEL" -o "$ert_model" > /dev/null ;;
  *) ert_model="$MODEL" ;;
esac

start=$(date +%s)
"$ERT" bench "$ert_model" --num-runs "$RUNS" --min-secs 0 --warmup-runs "$WARMUP" \
  --threads "$THREADS" --json "$WORK/bench.json" > "$WORK/bench.txt"
elapsed=$(( $(date +%s) - start ))

python3 - "$WORK/bench.json" "$SLACK_KB" "$elapsed" "$(basename "$MODEL")" "$RUNS" <<'EOF'
import json, sys
path, slack_kb, elapsed, name = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
wanted = min(int(sys.argv[5]), 100000)  # ert bench stops at 100,000 runs.
j = json.load(open(path))
runs = j["steady"]["runs"]
first = j["memory"]["rss_before_runs_bytes"]
last = j["memory"]["rss_after_runs_bytes"]
growth = last - first
timing_buffer = 8 * runs
bound = timing_buffer + slack_kb * 1024
print(f"endurance: {name}, {runs} invokes in {elapsed} s, {j['threads']} thread(s), "
      f"median {j['steady']['median_ms']:.3f} ms, arena {j['arena_bytes']} bytes")
print(f"endurance: RSS after warm-up {first / 1024:.0f} KiB, after the last invoke "
      f"{last / 1024:.0f} KiB, growth {growth / 1024:+.0f} KiB "
      f"(bound {bound / 1024:.0f} KiB = {timing_buffer / 1024:.0f} KiB of bench timings + "
      f"{slack_kb} KiB); peak RSS {j['memory']['peak_rss_end_bytes'] / 1024:.0f} KiB")
if runs < wanted:
    print(f"endurance: FAILED: {runs} invokes, {wanted} asked for")
    sys.exit(1)
if growth > bound:
    print("endurance: FAILED: resident memory grew after the warm-up")
    sys.exit(1)
print("endurance: passed")
EOF
