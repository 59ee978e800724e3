#!/usr/bin/env python3
"""Draws benchmarks/compare's ratios as a PNG: one bar per model and thread count.

Three panels on a log scale, each with a line at 1 (below it edgert is faster or smaller):
steady-state time edgert/TFLite with the min-max of the per-round ratios as error bars,
create-to-first-result, and memory growth. With --ert-only results, a single panel of edgert's
steady-state milliseconds instead.

benchmarks/compare imports draw() when matplotlib is importable; otherwise it runs this file
with another Python that has it (e.g. Debian's /usr/bin/python3 with python3-matplotlib):
  compare_chart.py SUMMARY.json OUT.png
where SUMMARY.json is {"title": ..., "ert_only": bool, "threads": [...], "summaries": [...]}.
Takes a second or two. Needs matplotlib.
"""

import json
import sys


def draw(data, out_png):
    import matplotlib  # pylint: disable=import-outside-toplevel
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel
    from matplotlib.ticker import FuncFormatter  # pylint: disable=import-outside-toplevel

    summaries = data["summaries"]
    threads = data["threads"]
    models = []
    for s in summaries:
        if s["model"] not in models:
            models.append(s["model"])
    if data.get("ert_only"):
        panels = [("edgert steady-state ms (median)", lambda s: s["edgert"]["steady_ms"], None)]
    else:
        panels = [
            ("steady state, edgert / TFLite", lambda s: s["steady_ratio"],
             lambda s: (s["steady_ratio_min"], s["steady_ratio_max"])),
            ("create to first result, edgert / TFLite", lambda s: s["c2f_ratio"], None),
            ("memory growth, edgert / TFLite", lambda s: s["growth_ratio"], None),
        ]
    fig, axes = plt.subplots(len(panels), 1, figsize=(max(8, 1.1 * len(models) + 3),
                                                      3.2 * len(panels)), squeeze=False)
    width = 0.8 / max(1, len(threads))
    for ax, (title, value, spread) in zip(axes[:, 0], panels):
        extent = [] if data.get("ert_only") else [1.0]
        for k, t in enumerate(threads):
            xs, ys, lo, hi = [], [], [], []
            for i, m in enumerate(models):
                s = next((s for s in summaries if s["model"] == m and s["threads"] == t), None)
                v = value(s) if s else None
                if v is None or v <= 0:
                    continue
                xs.append(i + (k - (len(threads) - 1) / 2) * width)
                ys.append(v)
                if spread:
                    a, b = spread(s)
                    lo.append(v - (a if a is not None else v))
                    hi.append((b if b is not None else v) - v)
            yerr = [lo, hi] if spread and xs else None
            label = f"{t} thread{'s' if t != 1 else ''}"
            if data.get("ert_only"):
                ax.bar(xs, ys, width, label=label)
            else:
                # Ratio bars grow from 1 (up: edgert slower or larger; down: faster or smaller).
                ax.bar(xs, [y - 1 for y in ys], width, bottom=1, yerr=yerr, capsize=3,
                       label=label)
            extent += ys + [y - d for y, d in zip(ys, lo)] + [y + u for y, u in zip(ys, hi)]
            for x, y in zip(xs, ys):
                ax.annotate(f"{y:.2f}" if y < 10 else f"{y:.0f}", (x, y), ha="center", fontsize=6,
                            va="bottom" if data.get("ert_only") or y >= 1 else "top")
        ax.set_yscale("log")
        extent = [e for e in extent if e > 0]
        if extent:
            ax.set_ylim(min(extent) / 1.6, max(extent) * 1.6)
            plain = FuncFormatter(lambda v, _: f"{v:g}")
            ax.yaxis.set_major_formatter(plain)
            # Within about a decade a log axis has no major tick to label, so label the minor.
            if max(extent) / min(extent) < 20:
                ax.yaxis.set_minor_formatter(plain)
                ax.tick_params(axis="y", which="minor", labelsize=7)
        if not data.get("ert_only"):
            ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_title(title, fontsize=10)
        ax.set_xticks(range(len(models)))
        ax.set_xticklabels(models, rotation=25, ha="right", fontsize=8)
        ax.grid(axis="y", which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(data.get("title", ""), fontsize=10)
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)
    plt.close(fig)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: compare_chart.py SUMMARY.json OUT.png")
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    try:
        draw(data, sys.argv[2])
    except ImportError:
        sys.exit("compare_chart: needs matplotlib (apt-get install python3-matplotlib)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
