"""Where one politician profile spends its time, inside one process (issue 14b).

Imports, the synthetic universe (default seed, full size), its content fingerprint, then the
profile's computations and figures for the 3 busiest members in turn: the first fills the
per-universe context cache of :mod:`workbench.member.context`, the second runs under cProfile
(top 25 by cumulative time). Run::

    WORKBENCH_SHARED_DATA=/work/shared/data .venv/bin/python benchmarks/profile_member_profile.py
"""

from __future__ import annotations

import cProfile
import pstats
import time


def main() -> None:
    t = time.perf_counter()
    import workbench.member
    import workbench.plotting.member as plots
    import workbench.reports
    import workbench.reports.findings
    import workbench.reports.profiles
    import workbench.reports.tables  # noqa: F401  (the notebook's imports)
    from workbench.member.context import universe_fingerprint

    def lap(label: str) -> None:
        nonlocal t
        print(f"{label}: {time.perf_counter() - t:.2f} s", flush=True)
        t = time.perf_counter()

    lap("imports")
    u = workbench.reports.load_universe("synthetic", seed=20120101, smoke=False)
    lap("load universe")
    universe_fingerprint(u)
    lap("fingerprint")

    def one(pid: str) -> None:
        p = workbench.member.member_profile(u, pid)
        workbench.member.member_findings(p)
        workbench.member.member_recovery(p, u.truth)
        for fn in (plots.plot_member_activity, plots.plot_member_lag,
                   plots.plot_member_cumulative, plots.plot_member_sectors):
            fn(p)

    ids = workbench.reports.profiles.top_politicians(u.trades, 3)
    prof = cProfile.Profile()
    for i, pid in enumerate(ids):
        if i == 1:
            prof.enable()
        one(pid)
        if i == 1:
            prof.disable()
        lap(f"profile {pid}" + (" (context computed)" if i == 0 else ""))
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
