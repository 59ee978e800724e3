#!/usr/bin/env python3
"""Times one model on TensorFlow Lite the way `ert bench` times it on edgert.

benchmarks/compare runs this file as a fresh process per round, so that create-to-first-result
and peak memory are those of a process that has seen the model once. One run:

  1. Imports numpy and ai_edge_litert (the process's baseline; --baseline stops here).
  2. Times Interpreter(model, num_threads) and allocate_tensors, which is where TFLite applies
     its default delegate (XNNPACK, for every model it can take); counts the DELEGATE nodes.
  3. Fills the inputs with the same seeded random data as `ert bench --seed S` (see
     seeded_inputs), then times the first invoke and --warmup-runs more.
  4. Steady state: times each invoke until both --num-runs runs and --min-secs seconds are done
     (at most 100000), exactly as ert bench's loop does; reports median, mean, p90, min, max.
  5. Prints one JSON object (or writes it to --json).

Usage:
  tflite_bench.py MODEL.tflite [--threads N] [--warmup-runs N] [--num-runs N] [--min-secs S]
                  [--seed S] [--json FILE]
  tflite_bench.py --baseline

Takes as long as the runs asked for. Needs python3, numpy and ai-edge-litert.
"""

import argparse
import json
import math
import sys
import time

# ert bench's cap on steady-state runs (kMaxRuns in src/tool/bench_command.cc).
MAX_RUNS = 100000


def seeded_inputs(input_details, seed, np):
    """The inputs `ert bench --seed S` makes, in input order, from one std::mt19937(seed).

    ert bench fills float32 tensors with std::uniform_real_distribution<float>(-1, 1) and any
    other tensor byte by byte with the low byte of each draw. libstdc++ turns one 32-bit draw
    x into float(x) / 2^32 (clamped below 1), then into 2 * u - 1; numpy's legacy RandomState
    seeds the same Mersenne Twister the same way for a 32-bit integer seed.
    """
    bitgen = np.random.RandomState(seed)._bit_generator  # pylint: disable=protected-access
    values = []
    for d in input_details:
        shape = [int(x) for x in d["shape"]]
        count = int(np.prod(shape)) if shape else 1
        dtype = np.dtype(d["dtype"])
        if dtype == np.float32:
            raw = bitgen.random_raw(count).astype(np.uint32)
            u = raw.astype(np.float32) / np.float32(4294967296.0)
            u = np.where(u >= np.float32(1), np.nextafter(np.float32(1), np.float32(0)), u)
            values.append((u * np.float32(2) + np.float32(-1)).astype(np.float32).reshape(shape))
        else:
            nbytes = count * dtype.itemsize
            raw = bitgen.random_raw(nbytes).astype(np.uint32)
            values.append((raw & 0xFF).astype(np.uint8).view(dtype).reshape(shape))
    return values


def percentile_of_sorted(s, p):
    """Linear interpolation between the nearest ranks (numpy's default), as ert bench does."""
    rank = p / 100.0 * (len(s) - 1)
    lo = int(math.floor(rank))
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (rank - lo)


def summarize(times_ms):
    """Mean, median, p90, min, max and sample standard deviation, as src/tool/bench_stats.h."""
    if not times_ms:
        return {"runs": 0}
    s = sorted(times_ms)
    n = len(s)
    mean = sum(s) / n
    stddev = math.sqrt(sum((x - mean) ** 2 for x in s) / (n - 1)) if n > 1 else 0.0
    return {"runs": n, "mean_ms": mean, "median_ms": percentile_of_sorted(s, 50),
            "p90_ms": percentile_of_sorted(s, 90), "min_ms": s[0], "max_ms": s[-1],
            "stddev_ms": stddev}


def proc_status_kib(key):
    """A "VmRSS"/"VmHWM" line of /proc/self/status in KiB; None without procfs."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def run(args):
    import numpy as np  # pylint: disable=import-outside-toplevel
    from ai_edge_litert import interpreter as litert  # pylint: disable=import-outside-toplevel
    from importlib import metadata  # pylint: disable=import-outside-toplevel

    result = {"numpy_version": np.__version__}
    try:
        result["litert_version"] = metadata.version("ai-edge-litert")
    except metadata.PackageNotFoundError:
        result["litert_version"] = "unknown"
    result["rss_baseline_kib"] = proc_status_kib("VmRSS")
    result["peak_rss_baseline_kib"] = proc_status_kib("VmHWM")
    if args.baseline:
        return result

    # Step 2: create. AUTO is the default resolver: builtin kernels plus the default delegates.
    resolver = litert.OpResolverType.AUTO
    t0 = time.perf_counter()
    interp = litert.Interpreter(model_path=args.model, num_threads=args.threads,
                                experimental_op_resolver_type=resolver)
    t1 = time.perf_counter()
    nodes_before = len(interp._get_ops_details())  # pylint: disable=protected-access
    t2 = time.perf_counter()
    interp.allocate_tensors()
    t3 = time.perf_counter()
    ops = interp._get_ops_details()  # pylint: disable=protected-access
    result.update({
        "model": args.model, "threads": args.threads, "seed": args.seed,
        "op_resolver": str(resolver), "nodes": nodes_before,
        "delegate_nodes": sum(1 for o in ops if o["op_name"] == "DELEGATE"),
        "construct_ms": (t1 - t0) * 1000.0, "allocate_ms": (t3 - t2) * 1000.0,
    })

    # Step 3: inputs (not timed, as in ert bench), first inference, warm-up.
    details = interp.get_input_details()
    for d, value in zip(details, seeded_inputs(details, args.seed, np)):
        interp.set_tensor(d["index"], value)
    t0 = time.perf_counter()
    interp.invoke()
    result["first_inference_ms"] = (time.perf_counter() - t0) * 1000.0
    warm = []
    for _ in range(args.warmup_runs):
        t0 = time.perf_counter()
        interp.invoke()
        warm.append((time.perf_counter() - t0) * 1000.0)
    result["warmup"] = summarize(warm)

    # Step 4: steady state, the loop of ert bench.
    wanted = min(args.num_runs, MAX_RUNS)
    times = []
    result["rss_before_runs_kib"] = proc_status_kib("VmRSS")
    t_steady = time.perf_counter()
    t_last = t_steady
    while len(times) < MAX_RUNS and (len(times) < wanted or t_last - t_steady < args.min_secs):
        t0 = time.perf_counter()
        interp.invoke()
        t_last = time.perf_counter()
        times.append((t_last - t0) * 1000.0)
    result["steady"] = summarize(times)
    result["steady"]["seconds"] = t_last - t_steady
    result["rss_after_runs_kib"] = proc_status_kib("VmRSS")
    result["peak_rss_end_kib"] = proc_status_kib("VmHWM")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("model", nargs="?", help=".tflite model")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup-runs", type=int, default=1)
    parser.add_argument("--num-runs", type=int, default=50)
    parser.add_argument("--min-secs", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the result here instead of stdout")
    parser.add_argument("--baseline", action="store_true",
                        help="import numpy and ai_edge_litert, report, and load no model")
    args = parser.parse_args()
    if not args.baseline and not args.model:
        parser.error("MODEL is required unless --baseline is given")
    if args.threads < 1 or args.num_runs < 1 or args.warmup_runs < 0 or args.min_secs < 0:
        parser.error("--threads and --num-runs must be >= 1, --warmup-runs and --min-secs >= 0")
    try:
        result = run(args)
    except ImportError as e:
        sys.exit(f"tflite_bench: {e}; install with: python3 -m pip install numpy ai-edge-litert")
    except (ValueError, RuntimeError) as e:
        sys.exit(f"tflite_bench: {args.model}: {e}")
    text = json.dumps(result, indent=2)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
