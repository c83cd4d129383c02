"""Real Senate 2012-2020: trading network, communities, leaders; option trades (closing findings).

Run: .venv/bin/python benchmarks/real_senate_network_options.py  (needs ../shared/data)
"""
import time
import warnings

import pandas as pd

from workbench.config import shared_data_dir
from workbench.data import (
    read_legislators,
    read_prices,
    read_securities,
    read_senate_daily_summaries,
    resolve_legislators,
)
from workbench.network import (
    build_network,
    compute_similarity,
    detect_communities,
    mean_signed_return,
    politician_attributes,
    profile_communities,
    rank_leaders,
)
from workbench.options import analyze_option_trades

warnings.simplefilter("ignore")
pd.set_option("display.width", 250)
pd.set_option("display.max_columns", 30)
pd.set_option("display.max_colwidth", 80)
d = shared_data_dir()
t0 = time.perf_counter()
pr = read_senate_daily_summaries(d / "senate/all_daily_summaries.json")
print(pr.summary().to_dict())
leg = read_legislators(d / "legislators")
res = resolve_legislators(pr.accepted, leg)
tr = res.trades
print("match rate", res.match_rate, "columns", list(tr.columns)[:10])
tr = tr[(tr["transaction_date"] >= "2012-01-01") & (tr["transaction_date"] <= "2020-12-31")]
sec = read_securities(d / "prices/sp500_constituents.csv")
print("trades 2012-2020", len(tr), "with ticker", tr["ticker"].notna().sum(), "politicians", tr["politician"].nunique())
print(tr.party.value_counts(dropna=False).to_dict())
sim = compute_similarity(tr, sec)
attrs = politician_attributes(tr)
g = build_network(sim, attrs)
comm = detect_communities(g, random_state=0)
comm2 = detect_communities(g, random_state=0)
assert comm.membership.equals(comm2.membership)
print("nodes", g.number_of_nodes(), "edges", g.number_of_edges(), "threshold", g.graph["threshold_used"])
print(comm.summary().to_dict())
prices = read_prices(d / "prices/sp500_daily_2010_2021.parquet", start="2011-12-01", end="2021-04-21").accepted
perf = mean_signed_return(tr, prices)
prof = profile_communities(comm, tr, sec, perf)
print(prof[prof["size"] >= 2].to_string())
lead = rank_leaders(g, tr, comm.membership, n_permutations=200)
t = lead.table.join(attrs[["party", "n_trades"]])
print(t.sort_values("leadership_score", ascending=False).head(15)[["community", "party", "n_trades", "rank_in_community", "leadership_score", "net_lead", "lead_p_value", "degree", "betweenness", "pagerank"]].to_string())
print("significant leaders (p<=0.05):", t[t.lead_p_value <= 0.05].index.tolist())
print("--- components summary")
print(sim.summary().round(3).to_string())
for thr in (0.05, 0.2):
    g2 = build_network(sim, attrs, top_fraction=thr)
    c2 = detect_communities(g2)
    p2 = profile_communities(c2, tr, sec)
    print("top_fraction", thr, c2.summary().to_dict(), "cross-party groups", int((p2["cross_party"] & (p2["size"] >= 2)).sum()))
print("--- options")
ot = analyze_option_trades(tr, prices)
print(ot.summary().to_dict())
df = ot.to_frame()
print(df[["politician", "ticker", "side", "option_type", "strike", "expiration", "trade_date", "notional", "spot", "moneyness", "days_to_expiry", "move_7d", "move_7d_after_disclosure"]].to_string())
print(df.groupby(["politician", "option_type", "side"]).agg(n=("trade_id", "size"), notional=("notional", "sum"), moneyness=("moneyness", "median"), dte=("days_to_expiry", "median"), move7=("move_7d", "median")).to_string())
puts = df[(df["option_type"] == "put")]
for side, g_ in puts.groupby("side"):
    print(side, "n", len(g_), "names", g_["ticker"].nunique(), "dates", g_["trade_date"].min().date(), g_["trade_date"].max().date(),
          "brackets", g_["notional"].min(), g_["notional"].max(), "sum", g_["notional"].sum(),
          "median S/K", round(g_["moneyness"].median(), 3), "median dte", g_["days_to_expiry"].median(),
          "median move7", round(g_["move_7d"].median(), 4), "median move7 after disclosure", round(g_["move_7d_after_disclosure"].median(), 4),
          "disclosure", g_["disclosure_date"].min().date(), g_["disclosure_date"].max().date())
print("elapsed", time.perf_counter() - t0)
