"""Regenerate the metric reference values with plain-Python formulas (no numpy/pandas/workbench).

Run: .venv/bin/python tests/metrics/data/make_reference.py  (rewrites reference_*.csv here).
The formulas are the textbook definitions written out loop by loop, so they are independent of
the vectorized implementations in workbench.metrics.
"""

import csv
import math
from pathlib import Path

HERE = Path(__file__).parent
PPY = 252

SERIES = {
    "mixed": [0.01, -0.02, 0.03, -0.01, 0.02, 0.0, -0.03, 0.015, 0.005, -0.005,
              0.012, -0.004],
    "first_loss": [-0.05, 0.02, 0.01, -0.01, 0.03, 0.04, -0.02, 0.01],
    "all_up": [0.001, 0.002, 0.0015, 0.003, 0.0005, 0.001],
}
BENCH = [0.005, -0.01, 0.02, -0.015, 0.01, 0.002, -0.02, 0.01, 0.0, -0.002, 0.008, 0.001]


def mean(x):
    return sum(x) / len(x)


def sd(x):
    m = mean(x)
    return math.sqrt(sum((v - m) ** 2 for v in x) / (len(x) - 1))


def ref(r):
    n = len(r)
    wealth, w = [], 1.0
    for v in r:
        w *= 1 + v
        wealth.append(w)
    growth = wealth[-1]
    cagr = growth ** (PPY / n) - 1
    peak, mdd = 1.0, 0.0
    for w in wealth:
        peak = max(peak, w)
        mdd = min(mdd, w / peak - 1)
    down = math.sqrt(sum(min(v, 0.0) ** 2 for v in r) / n) * math.sqrt(PPY)
    b = BENCH[:n]
    mb, mr = mean(b), mean(r)
    cov = sum((x - mr) * (y - mb) for x, y in zip(r, b, strict=True)) / (n - 1)
    var = sum((y - mb) ** 2 for y in b) / (n - 1)
    return {
        "cagr": cagr,
        "annual_volatility": sd(r) * math.sqrt(PPY),
        "sharpe_ratio": mr / sd(r) * math.sqrt(PPY),
        "sortino_ratio": (mr * PPY / down) if down > 0 else float("nan"),
        "max_drawdown": mdd,
        "calmar_ratio": cagr / abs(mdd) if mdd < 0 else float("nan"),
        "win_rate": sum(v > 0 for v in r) / n,
        "hit_rate": sum(x > y for x, y in zip(r, b, strict=True)) / n,
        "beta": cov / var,
    }


def main():
    with open(HERE / "reference_returns.csv", "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["series", "period", "ret", "bench"])
        for name, r in SERIES.items():
            for i, v in enumerate(r):
                wr.writerow([name, i, repr(v), repr(BENCH[i])])
    with open(HERE / "reference_metrics.csv", "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["series", "metric", "value"])
        for name, r in SERIES.items():
            for k, v in ref(r).items():
                wr.writerow([name, k, repr(v)])


if __name__ == "__main__":
    main()
