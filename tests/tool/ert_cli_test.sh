#!/usr/bin/env bash
# The ert tool as a user meets it: help, outputs, JSON, and one-line errors with non-zero exits.
# Needs $ERT (the binary) and $TMPDIR holding relu_chain.ert and all_ops.ert.
set -u
pass=0
fail=0
check() {  # check DESCRIPTION COMMAND...: the command must succeed.
  local what=$1
  shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what"; fi
}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for cmd in inspect run convert bench; do
  check "$cmd --help exits 0 and shows examples" bash -c "'$ERT' $cmd --help | grep -q Examples"
done
check "--version names edgert" bash -c "'$ERT' --version | grep -q '^edgert '"

"$ERT" inspect "$TMPDIR/all_ops.ert" > "$out/inspect.txt"
check "inspect exits 0" test $? -eq 0
check "inspect lists 31 operators" grep -q '^operators: 31' "$out/inspect.txt"
check "inspect shows arena, bound and naive sum" grep -q 'arena: [0-9]* bytes (lower bound for this order [0-9]*, naive sum [0-9]*)' "$out/inspect.txt"
check "inspect shows the input" grep -q 'input  x .*f32  \[1,8,8,4\]' "$out/inspect.txt"

"$ERT" inspect "$TMPDIR/all_ops.ert" --json > "$out/inspect.json"
check "inspect --json is JSON with the figures" python3 -c "
import json, sys
j = json.load(open('$out/inspect.json'))
assert j['operators'] == 31, j['operators']
assert j['ops_by_type']['CONV_2D'] == 1
assert j['arena_lower_bound'] <= j['arena_bytes'] <= j['arena_naive_bytes']
assert j['inputs'][0]['shape'] == [1, 8, 8, 4]
assert [o['name'] for o in j['outputs']] == ['y', 'mean']
"

"$ERT" run "$TMPDIR/relu_chain.ert" --seed 3 --output-dir "$out" > "$out/run.txt"
check "run exits 0" test $? -eq 0
check "run writes y.npy equal to relu6 of a seeded input in [-1,1)" python3 -c "
import numpy as np
y = np.load('$out/y.npy')
assert y.shape == (1, 4, 4, 3) and y.dtype == np.float32
assert y.min() >= 0 and y.max() < 1 and (y == 0).any() and (y > 0).any()
"
"$ERT" run "$TMPDIR/relu_chain.ert" --seed 3 --output-dir "$out/new/nested" > /dev/null
check "run makes an output folder that is not there yet" test -f "$out/new/nested/y.npy"
np_in="$out/x.npy"
python3 -c "import numpy as np; np.save('$np_in', np.linspace(-8, 8, 96, dtype=np.float32).reshape(2, 4, 4, 3))"
"$ERT" run "$TMPDIR/relu_chain.ert" --input "x=$np_in" --output-dir "$out" > /dev/null
check "run with an input file (and a new batch size) computes relu6" python3 -c "
import numpy as np
x = np.load('$np_in'); y = np.load('$out/y.npy')
assert y.shape == (2, 4, 4, 3)
assert np.array_equal(y, np.clip(x, 0, 6))
"

"$ERT" bench "$TMPDIR/all_ops.ert" --num-runs 5 --min-secs 0 --warmup_runs 2 --seed 4 --profile --json "$out/bench.json" > "$out/bench.txt"
check "bench exits 0" test $? -eq 0
check "bench prints the steady-state statistics" grep -q 'median .* p90 .* min .* max .* stddev' "$out/bench.txt"
check "bench --profile prints the per-op tables" bash -c "grep -q '^op type' '$out/bench.txt' && grep -q '^top 15 ops' '$out/bench.txt'"
check "bench --json has ordered, positive figures" python3 -c "
import json
j = json.load(open('$out/bench.json'))
for k in ['load_ms', 'create_ms', 'first_inference_ms', 'warmup', 'steady', 'memory', 'arena_bytes',
          'file_bytes', 'machine', 'profile']:
    assert k in j, k
st = j['steady']
assert st['runs'] == 5, st
assert j['warmup']['runs'] == 2, j['warmup']
for k in ['mean_ms', 'median_ms', 'p90_ms', 'min_ms', 'max_ms']:
    assert st[k] > 0, (k, st)
assert st['min_ms'] <= st['median_ms'] <= st['p90_ms'] <= st['max_ms'], st
assert st['min_ms'] <= st['mean_ms'] <= st['max_ms'], st
assert st['stddev_ms'] >= 0
assert j['load_ms'] > 0 and j['create_ms'] > 0 and j['first_inference_ms'] > 0
assert j['arena_bytes'] > 0 and j['file_bytes'] > 0
assert j['memory']['peak_rss_end_bytes'] >= j['memory']['peak_rss_before_create_bytes'] > 0
assert j['machine']['cores'] >= 1 and j['machine']['edgert_version']
assert len(j['machine']['date']) == 20 and j['machine']['date'].endswith('Z')
p = j['profile']
assert p['runs'] == 5 and len(p['ops']) == 31, (p['runs'], len(p['ops']))
assert sum(t['count'] for t in p['by_type']) == 31
assert abs(sum(o['share'] for o in p['ops']) - 1) < 1e-6
assert any(o['type'] == 'CONV_2D' and o['macs'] > 0 for o in p['ops'])
"
"$ERT" bench "$TMPDIR/relu_chain.ert" --num_runs 3 --min-secs 0.2 --json "$out/bench2.json" > /dev/null
check "bench keeps running until --min-secs has passed, or the 100000-run cap" python3 -c "
import json
st = json.load(open('$out/bench2.json'))['steady']
assert st['runs'] > 3, st
assert st['seconds'] >= 0.2 or (st['capped'] and st['runs'] == 100000), st
assert st['capped'] == (st['runs'] == 100000), st
assert 'profile' not in json.load(open('$out/bench2.json'))
"
err=$("$ERT" bench /no/such/model.ert 2>&1 >/dev/null); rc=$?
check "bench of a missing file: one line, non-zero" bash -c "[ $rc -ne 0 ] && [ \$(printf '%s\n' \"$err\" | wc -l) -eq 1 ] && printf '%s' \"$err\" | grep -q '^ert bench: /no/such/model.ert: cannot open'"
err=$("$ERT" bench "$TMPDIR/relu_chain.ert" --num-runs 1 --min-secs 0 --json /no/such/dir/b.json 2>&1 >/dev/null); rc=$?
check "bench with an unwritable --json: one line, non-zero" bash -c "[ $rc -ne 0 ] && printf '%s' \"$err\" | grep -q '^ert bench: cannot write /no/such/dir/b.json'"

# Conversion of a real TFLite model, when the shared models are beside the checkout.
shared_model="${SHARED_DIR:-}/models/tflite/mediapipe__hand_recrop.tflite"
if [ -f "$shared_model" ]; then
  "$ERT" convert "$shared_model" -o "$out/recrop.ert" > "$out/convert.txt"
  check "convert exits 0 and reports ops and arena" grep -q '63 -> 63 ops.*arena [0-9]* bytes' "$out/convert.txt"
  "$ERT" convert "$shared_model" -o "$out/recrop16.ert" --precision fp16 > /dev/null
  check "fp16 file is smaller than 0.6x the fp32 one" python3 -c "
import os; a = os.path.getsize('$out/recrop.ert'); b = os.path.getsize('$out/recrop16.ert'); assert b < 0.6 * a, (a, b)"
  check "inspect reads the .tflite directly and names its source" bash -c "'$ERT' inspect '$shared_model' | grep -q 'source: mediapipe__hand_recrop.tflite (sha256 67d996ce'"
  mkdir -p "$out/a" "$out/b"
  "$ERT" run "$out/recrop.ert" --seed 5 --output-dir "$out/a" > /dev/null
  "$ERT" run "$shared_model" --seed 5 --output-dir "$out/b" > /dev/null
  check "the .ert and the in-memory conversion give identical outputs" cmp -s "$out/a/output_crop.npy" "$out/b/output_crop.npy"
else
  echo "note: $shared_model absent; conversion checks not run"
fi
err=$("$ERT" convert /no/such.tflite -o "$out/x.ert" 2>&1 >/dev/null); rc=$?
check "convert of a missing file: one line, non-zero" bash -c "[ $rc -ne 0 ] && printf '%s' \"$err\" | grep -q '^ert convert: /no/such.tflite: cannot open'"
err=$("$ERT" convert "$TMPDIR/relu_chain.ert" -o "$out/x.ert" 2>&1 >/dev/null); rc=$?
check "convert of a non-TFLite file says so" bash -c "[ $rc -ne 0 ] && [ \$(printf '%s\n' \"$err\" | wc -l) -eq 1 ]"

# Errors: one line on stderr, naming the file, non-zero exit.
err=$("$ERT" inspect /no/such/file.ert 2>&1 >/dev/null); rc=$?
check "missing file: non-zero exit" test $rc -ne 0
check "missing file: one line naming the file" bash -c "[ \$(printf '%s\n' \"$err\" | wc -l) -eq 1 ] && printf '%s' \"$err\" | grep -q '^ert inspect: /no/such/file.ert: cannot open'"
head -c 300 "$TMPDIR/all_ops.ert" > "$out/truncated.ert"
err=$("$ERT" run "$out/truncated.ert" 2>&1 >/dev/null); rc=$?
check "truncated file: non-zero exit" test $rc -ne 0
check "truncated file: the message says why" bash -c "printf '%s' \"$err\" | grep -q 'ert run: $out/truncated.ert: .*malformed'"
printf 'NOT A MODEL AT ALL' > "$out/text.ert"
err=$("$ERT" inspect "$out/text.ert" 2>&1 >/dev/null); rc=$?
check "wrong identifier: the message says so" bash -c "[ $rc -ne 0 ] && printf '%s' \"$err\" | grep -q 'not an .ert file'"
err=$("$ERT" run "$TMPDIR/relu_chain.ert" --input "nosuch=$np_in" 2>&1 >/dev/null); rc=$?
check "unknown input name is reported" bash -c "[ $rc -ne 0 ] && printf '%s' \"$err\" | grep -q \"no input named 'nosuch'\""
err=$("$ERT" frobnicate 2>&1 >/dev/null); rc=$?
check "unknown subcommand: non-zero exit, one line" bash -c "[ $rc -ne 0 ] && [ \$(printf '%s\n' \"$err\" | wc -l) -eq 1 ]"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
