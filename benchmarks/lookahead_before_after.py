"""Before/after values of the published figures that issue 15's look-ahead fixes change.

    git archive e35add2 workbench | tar -x -C /tmp/issue15-old
    .venv/bin/python benchmarks/lookahead_before_after.py 20120101 --old /tmp/issue15-old
    .venv/bin/python benchmarks/lookahead_before_after.py real --old /tmp/issue15-old

"Before" runs the network, options and analog modules of commit e35add2 (copier returns from the
disclosure-day close; analog outcomes read past ``as_of``) on the same data as "after".
"""
import argparse
import importlib.util
import sys
import warnings

import pandas as pd

warnings.simplefilter("ignore")
ap = argparse.ArgumentParser()
ap.add_argument("what", help="a synthetic seed, or 'real' (needs WORKBENCH_SHARED_DATA)")
ap.add_argument("--old", required=True, help="directory holding the old workbench/ tree")
ARGS = ap.parse_args()

def load_old(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    m = importlib.util.module_from_spec(spec)
    sys.modules[name] = m
    spec.loader.exec_module(m)
    return m

old_comm = load_old("old_comm", f"{ARGS.old}/workbench/network/communities.py")
old_opt = load_old("old_opt", f"{ARGS.old}/workbench/options/trades.py")
old_an = load_old("old_an", f"{ARGS.old}/workbench/patterns/analogs.py")

import workbench.network as net  # noqa: E402
from workbench.data import load_universe  # noqa: E402
from workbench.options import analyze_option_trades  # noqa: E402


def network_fig(tr, prices, sec, label):
    sim = net.compute_similarity(tr, sec)
    g = net.build_network(sim, net.politician_attributes(tr))
    comm = net.detect_communities(g, random_state=0)
    before = old_comm.mean_signed_return(tr, prices)
    after = net.mean_signed_return(tr, prices)
    pb = net.profile_communities(comm, tr, sec, before)
    pa = net.profile_communities(comm, tr, sec, after)
    t = pb[pb["size"] >= 2][["community", "size", "avg_performance"]].merge(
        pa[["community", "avg_performance"]], on="community", suffixes=("_before", "_after"))
    print(f"[{label}] copier 21-session signed return per politician: median before {before.median():+.4%} after {after.median():+.4%}; "
          f"mean {before.mean():+.4%} -> {after.mean():+.4%}; politicians with a value {before.notna().sum()} -> {after.notna().sum()}")
    print(t.to_string(index=False, float_format=lambda v: f"{v:+.4%}"))

def options_fig(tr, prices, options, label):
    b = old_opt.analyze_option_trades(tr, prices, options).to_frame()
    a = analyze_option_trades(tr, prices, options).to_frame()
    x, y = b["move_7d_after_disclosure"].dropna(), a["move_7d_after_disclosure"].dropna()
    print(f"[{label}] move_7d_after_disclosure: mean {x.mean():+.4%} (n={len(x)}) -> {y.mean():+.4%} (n={len(y)}); median {x.median():+.4%} -> {y.median():+.4%}; move_7d mean {a['move_7d'].dropna().mean():+.4%}")
    return a, b

def seed_main(seed):
    u = load_universe("synthetic", seed=seed)
    network_fig(u.trades, u.prices, u.securities, f"synthetic {seed}, notebook 07")
    options_fig(u.trades, u.prices, u.options, f"synthetic {seed}, notebook 06")
    prices = u.prices_wide("adj_close")
    symbol = u.trades["ticker"][u.trades["ticker"].isin(prices.columns)].value_counts().index[0]
    q = prices[symbol].dropna().iloc[-30:]
    for mod, tag in ((old_an, "before"), (sys.modules["workbench.patterns.analogs"], "after")):
        r = mod.find_similar_patterns(q, prices, window=30, top_k=8, band=0.1, horizons=(30, 90),
                                      query_ticker=symbol, as_of=q.index[-1])
        print(f"[synthetic {seed}, notebook 03 defaults] {tag}: forecast", r.forecast.round(6).to_dict("records"))
    # the reproduction on this universe: require_outcome=False at a past date
    as_of = pd.Timestamp("2016-02-04")
    q2 = prices[symbol].loc[:as_of].iloc[-30:]
    for mod, tag in ((old_an, "before"), (sys.modules["workbench.patterns.analogs"], "after")):
        r = mod.find_similar_patterns(q2, prices, top_k=8, horizons=(30, 90), query_ticker=symbol,
                                      as_of=as_of, require_outcome=False)
        print(f"[synthetic {seed}, analogs as_of 2016-02-04, require_outcome=False] {tag}: forecast",
              r.forecast.round(4).to_dict("records"))
    # regimes: whole-sample vs fitted up to 2016-06 vs walk-forward
    from workbench.regimes import fit_regimes, market_returns, regime_features, walk_forward_regimes
    X = regime_features(market_returns(u))
    full = fit_regimes(X, 4, n_restarts=5, random_state=seed)
    pf = full.regimes[[c for c in full.regimes if c.startswith("p_")]].rename(columns=lambda c: c[2:])
    head = X.loc[:"2016-06-30"]
    part = fit_regimes(head, 4, n_restarts=5, random_state=seed)
    pp = part.regimes[[c for c in part.regimes if c.startswith("p_")]].rename(columns=lambda c: c[2:])
    d = (pf.loc[pp.index, pp.columns] - pp).abs().max(axis=1)
    top = (pf.loc[pp.index].idxmax(axis=1) != pp.idxmax(axis=1)).mean()
    print(f"[synthetic {seed}, 02] whole-sample filter vs fit up to 2016-06: max |dp| {d.max():.2f}, top regime differs {top:.1%}")
    walk = walk_forward_regimes(X, random_state=seed)
    w = walk.proba.dropna()
    d2 = (pf.loc[w.index, w.columns] - w).abs().max(axis=1)
    truth = u.truth.regimes.set_index("date")["name"].reindex(w.index)
    print(f"[synthetic {seed}, 02] whole-sample filter vs walk-forward ({len(walk.refits)} refits, from {w.index[0].date()}): max |dp| {d2.max():.2f}, top differs {(pf.loc[w.index].idxmax(axis=1) != w.idxmax(axis=1)).mean():.1%}; planted accuracy: filter {(pf.loc[w.index].idxmax(axis=1) == truth).mean():.1%}, walk-forward {(w.idxmax(axis=1) == truth).mean():.1%}, Viterbi {(full.regimes.loc[w.index, 'regime'] == truth).mean():.1%}")

def real_main():
    from workbench.config import shared_data_dir
    from workbench.data import (
        read_legislators,
        read_prices,
        read_securities,
        read_senate_daily_summaries,
        resolve_legislators,
    )
    d = shared_data_dir()
    pr = read_senate_daily_summaries(d / "senate/all_daily_summaries.json")
    tr = resolve_legislators(pr.accepted, read_legislators(d / "legislators")).trades
    tr = tr[(tr["transaction_date"] >= "2012-01-01") & (tr["transaction_date"] <= "2020-12-31")]
    sec = read_securities(d / "prices/sp500_constituents.csv")
    prices = read_prices(d / "prices/sp500_daily_2010_2021.parquet", start="2011-12-01", end="2021-04-21").accepted
    network_fig(tr, prices, sec, "real Senate 2012-2020 (benchmarks/real_senate_network_options.py)")
    a, b = options_fig(tr, prices, None, "real Senate options")
    for tag, df in (("before", b), ("after", a)):
        puts = df[df["option_type"] == "put"]
        print(f"  Loeffler puts {tag}:", {s: round(g_["move_7d_after_disclosure"].median(), 4) for s, g_ in puts.groupby("side")})

if __name__ == "__main__":
    if ARGS.what == "real":
        real_main()
    else:
        seed_main(int(ARGS.what))
