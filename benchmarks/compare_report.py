"""Turns benchmarks/compare's per-round measurements into figures and a Markdown report.

Per model and thread count:
  1. Steady state: the median of each engine's per-round medians, and the ratio edgert/TFLite
     as the median of the per-round ratios (round r's edgert median over round r's TFLite
     median, the two processes that ran back to back), with the min and max of those ratios.
  2. Create-to-first-result: the median over rounds of each engine's load + create + first
     inference, and the ratio of those medians.
  3. Memory: the median over rounds of each process's peak resident set (VmHWM), and of its
     growth over the engine's baseline (the peak RSS of the same program loading no model);
     the ratio uses the growth (see MEMORY_NOTE).
"""

import math
import statistics

MEMORY_NOTE = (
    "Peak is the process's VmHWM as it reports it at the end. The memory ratio compares the "
    "growth of that peak over each program's baseline (the peak RSS of the same program run "
    "without a model: `ert --version` under GNU time; `tflite_bench.py --baseline`, i.e. Python "
    "with numpy and ai_edge_litert imported), not the peak "
    "itself: the Python process starts some tens of MiB larger than `ert`, which an app "
    "embedding TensorFlow Lite's C++ library would not pay, so a ratio of peaks would flatter "
    "edgert. The growth is what loading and running the model costs: weights (and packed "
    "copies), activations, runtime structures, thread stacks.")


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def _ok_rounds(rounds, engine):
    return [r[engine] for r in rounds if r.get(engine) and not r[engine].get("error")]


def summarize_case(case):
    """Figures of one (model, threads) case from its rounds; see the module docstring."""
    rounds = case["rounds"]
    out = {"model": case["model"], "threads": case["threads"]}
    for engine in ("edgert", "tflite"):
        ok = _ok_rounds(rounds, engine)
        errors = [r[engine]["error"] for r in rounds if r.get(engine) and r[engine].get("error")]
        out[engine] = {
            "rounds": len(ok),
            "error": errors[0] if errors and not ok else None,
            "steady_ms": median(r["steady_median_ms"] for r in ok),
            "steady_runs": sum(r["steady_runs"] for r in ok),
            "c2f_ms": median(r["c2f_ms"] for r in ok),
            "peak_mib": median(r["peak_kib"] / 1024.0 for r in ok if r.get("peak_kib")),
            "growth_mib": median(r["growth_kib"] / 1024.0 for r in ok
                                 if r.get("growth_kib") is not None),
        }
    per_round = [ratio(r["edgert"]["steady_median_ms"], r["tflite"]["steady_median_ms"])
                 for r in rounds
                 if r.get("edgert") and r.get("tflite") and not r["edgert"].get("error")
                 and not r["tflite"].get("error")]
    per_round = [x for x in per_round if x is not None]
    out["steady_ratio"] = median(per_round)
    out["steady_ratio_min"] = min(per_round) if per_round else None
    out["steady_ratio_max"] = max(per_round) if per_round else None
    out["c2f_ratio"] = ratio(out["edgert"]["c2f_ms"], out["tflite"]["c2f_ms"])
    out["growth_ratio"] = ratio(out["edgert"]["growth_mib"], out["tflite"]["growth_mib"])
    out["peak_ratio"] = ratio(out["edgert"]["peak_mib"], out["tflite"]["peak_mib"])
    return out


def _f(value, fmt="{:.2f}", missing="–"):
    return missing if value is None else fmt.format(value)


def _ms(value):
    if value is None:
        return "–"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _error_cell(summary, engine):
    err = summary[engine]["error"]
    # A table cell cannot hold a '|'.
    return f"error: {err[:70].replace('|', '/')}" if err else None


def speed_table(summaries, ert_only):
    if ert_only:
        lines = ["| model | threads | edgert ms (median) | runs | edgert create-to-first ms |",
                 "|---|---:|---:|---:|---:|"]
        for s in summaries:
            e = s["edgert"]
            err = _error_cell(s, "edgert")
            lines.append(f"| {s['model']} | {s['threads']} | {err or _ms(e['steady_ms'])} | "
                         f"{e['steady_runs']} | {_ms(e['c2f_ms'])} |")
        return lines
    lines = [
        "| model | threads | edgert ms | TFLite ms | edgert/TFLite (min–max over rounds) "
        "| edgert create-to-first ms | TFLite create-to-first ms | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summaries:
        e, t = s["edgert"], s["tflite"]
        spread = (f"{_f(s['steady_ratio'])} ({_f(s['steady_ratio_min'])}–"
                  f"{_f(s['steady_ratio_max'])})" if s["steady_ratio"] is not None else "–")
        lines.append(
            f"| {s['model']} | {s['threads']} | {_error_cell(s, 'edgert') or _ms(e['steady_ms'])} | "
            f"{_error_cell(s, 'tflite') or _ms(t['steady_ms'])} | {spread} | "
            f"{_ms(e['c2f_ms'])} | {_ms(t['c2f_ms'])} | {_f(s['c2f_ratio'])} |")
    return lines


def memory_table(summaries, ert_only):
    if ert_only:
        lines = ["| model | threads | edgert peak RSS MiB | edgert growth MiB |",
                 "|---|---:|---:|---:|"]
        for s in summaries:
            e = s["edgert"]
            lines.append(f"| {s['model']} | {s['threads']} | {_f(e['peak_mib'], '{:.1f}')} | "
                         f"{_f(e['growth_mib'], '{:.1f}')} |")
        return lines
    lines = [
        "| model | threads | edgert peak MiB | TFLite peak MiB | edgert growth MiB "
        "| TFLite growth MiB | growth ratio edgert/TFLite |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summaries:
        e, t = s["edgert"], s["tflite"]
        lines.append(
            f"| {s['model']} | {s['threads']} | {_f(e['peak_mib'], '{:.1f}')} | "
            f"{_f(t['peak_mib'], '{:.1f}')} | {_f(e['growth_mib'], '{:.1f}')} | "
            f"{_f(t['growth_mib'], '{:.1f}')} | {_f(s['growth_ratio'])} |")
    return lines


def geomean_lines(summaries, threads):
    lines = []
    for t in threads:
        rows = [s for s in summaries if s["threads"] == t]
        parts = []
        for key, name in (("steady_ratio", "steady state"), ("c2f_ratio", "create-to-first"),
                          ("growth_ratio", "memory growth")):
            g = geomean([s[key] for s in rows])
            n = sum(1 for s in rows if s[key] is not None and s[key] > 0)
            parts.append(f"{name} {_f(g)} (over {n} models)")
        lines.append(f"* {t} thread{'s' if t != 1 else ''}: " + "; ".join(parts) + ".")
    return lines


def models_table(cases):
    """Per model: what each engine reported about it (ops, MACs, TFLite's delegate nodes)."""
    lines = ["| model | edgert ops | MMAC | edgert input | TFLite nodes | XNNPACK DELEGATE nodes |",
             "|---|---:|---:|---|---:|---:|"]
    seen = set()
    for case in cases:
        if case["model"] in seen:
            continue
        seen.add(case["model"])
        e = next((r["edgert"] for r in case["rounds"]
                  if r.get("edgert") and not r["edgert"].get("error")), {})
        t = next((r["tflite"] for r in case["rounds"]
                  if r.get("tflite") and not r["tflite"].get("error")), {})
        macs = e.get("macs")
        lines.append(
            f"| {case['model']} | {e.get('operators', '–')} | "
            f"{_f(macs / 1e6 if macs else None, '{:.1f}')} | {case.get('edgert_input', '–')} | "
            f"{t.get('nodes', '–')} | {t.get('delegate_nodes', '–')} |")
    return lines


def markdown(run, summaries):
    """The whole report as Markdown text. `run` holds the settings, machine and versions."""
    m = run["machine"]
    ert_only = run["ert_only"]
    load_start = m.get("load_average_start")
    load_end = run.get("load_average_end")
    lines = [
        f"# edgert {'alone' if ert_only else 'vs TensorFlow Lite'}: {m['date']}, {m['host']}",
        "",
        f"* Machine: {m['cpu']}, {m['cores']} cores ({m['arch']}, Linux {m['kernel']}); "
        f"flags: {', '.join(m['flags']) or 'none of interest'}.",
        f"* Load average (1 min) at start {_f(load_start[0] if load_start else None)}, at end "
        f"{_f(load_end[0] if load_end else None)}, on {m['cores']} cores.",
    ]
    if run.get("busy_warning"):
        lines.append(f"* **{run['busy_warning']}**")
    for note in run.get("notes", []):
        lines.append(f"* Note: {note}")
    lines += [
        f"* edgert: {m.get('edgert_git') or 'git describe unavailable'} "
        f"({m.get('ert_version') or 'ert --version failed'}), binary {run['ert']}; "
        f"models given to `ert bench` as {run['edgert_input_text']}.",
    ]
    if not ert_only:
        lines.append(
            f"* TensorFlow Lite: ai_edge_litert {run.get('litert_version', '?')} "
            f"(numpy {run.get('numpy_version', '?')}, Python {run.get('tflite_python', '?')}), "
            f"`Interpreter(model_path, num_threads=N)` with "
            f"`experimental_op_resolver_type=AUTO`: the builtin kernels plus the default "
            f"delegate, XNNPACK. {run.get('xnnpack_text', '')}")
    lines += [
        f"* Method: {run['rounds']} rounds per model and thread count; each round runs `ert "
        f"bench` and then the TFLite script (benchmarks/tflite_bench.py), each a fresh process "
        f"(A B A B, so drift hits both). Each process: load and create, first inference, "
        f"{run['warmup_runs']} warm-up run(s), then timed runs until both {run['runs']} runs "
        f"and {run['min_secs']} s are done; per-invoke wall time, median. Same random input "
        f"(seed {run['seed']}) on both. Total time {run.get('wall_minutes', 0):.1f} min.",
        "* Create-to-first-result: edgert's load (map and verify) + create (prepare, pack "
        "weights) + first inference from `ert bench --json`; TFLite's `Interpreter(...)` + "
        "`allocate_tensors()` (where XNNPACK is applied) + first `invoke()`, in a fresh process.",
        f"* {MEMORY_NOTE}" if not ert_only else
        "* Memory: peak RSS (VmHWM) of the `ert bench` process, and its growth over the peak "
        "RSS of `ert --version` (the same binary loading no model).",
        f"* Baselines (peak RSS without a model): edgert {_f(run['baseline_mib'].get('edgert'), '{:.1f}')} MiB"
        + ("" if ert_only else
           f", TFLite {_f(run['baseline_mib'].get('tflite'), '{:.1f}')} MiB") + ".",
        "",
        "## Speed",
        "",
    ]
    lines += speed_table(summaries, ert_only)
    if not ert_only:
        lines += ["", "Geometric means of the ratios (below 1: edgert is faster or smaller):", ""]
        lines += geomean_lines(summaries, run["threads"])
    lines += ["", "## Memory", ""]
    lines += memory_table(summaries, ert_only)
    lines += ["", "## Models", ""]
    lines += models_table(run["cases"])
    if run.get("chart"):
        lines += ["", f"![ratios]({run['chart']})"]
    lines.append("")
    return "\n".join(lines)
