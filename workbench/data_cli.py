"""``workbench data ingest|summary|fetch|synth``: the data command group.

Each handler returns an exit code; failures are :class:`~workbench.exceptions.WorkbenchError`
(``workbench.cli.main`` prints them). Output goes to stdout, progress bars to stderr.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

__all__ = ["register", "cmd_ingest", "cmd_summary", "cmd_fetch", "cmd_synth", "summary_text"]


def add_store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", type=Path, default=None,
                   help="DuckDB store (default: $WORKBENCH_STORE or data/workbench.duckdb)")


def register(subparsers) -> None:
    """Add the ``data`` group to the ``workbench`` parser."""
    from workbench.data.fetch import SOURCES
    from workbench.data.store.ingestion import KINDS, TRADE_SOURCES

    data = subparsers.add_parser("data", help="ingest, summarize, fetch and synthesize data")
    sub = data.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="parse files into the store (idempotent, one transaction)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="files or directories (every file below)")
    add_store_arg(p)
    p.add_argument("--kind", choices=KINDS + TRADE_SOURCES, default=None,
                   help="force the file kind or trade source instead of detecting it")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("summary", help="print the coverage table of a store")
    add_store_arg(p)
    p.add_argument("--top", type=int, default=20, help="rows of name lists (default 20)")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("fetch", help="download a public source (then ingest it)")
    p.add_argument("what", choices=sorted(SOURCES))
    p.add_argument("--base-url", default=None,
                   help="override the source URL (else $WORKBENCH_FETCH_<WHAT>_URL or default)")
    p.add_argument("--dest", type=Path, default=None,
                   help="download directory (default data/raw/<what> under the project)")
    p.add_argument("--no-ingest", action="store_true", help="only download")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    add_store_arg(p)
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser("synth", help="write the seeded synthetic universe as a store")
    p.add_argument("--seed", type=int, default=None, help="default $WORKBENCH_SEED")
    p.add_argument("--out", type=Path, default=None, help="store to create (default: --store)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing store")
    p.set_defaults(func=cmd_synth)


def cmd_ingest(args) -> int:
    from workbench.data.store.ingestion import ingest

    t0 = time.perf_counter()
    report = ingest(args.paths, args.store, kind=args.kind)
    print(report.to_text())
    print(f"ingest took {time.perf_counter() - t0:.1f} s")
    return 0


def summary_text(store=None, *, top: int = 20) -> str:
    """The coverage table of a store (what ``workbench data summary`` prints)."""
    from workbench.data.store import connected, read_price_spans, read_table
    from workbench.overview.coverage import compute_coverage

    with connected(store, read_only=True) as con:
        trades = read_table(con, "trades")
        spans = read_price_spans(con)
        rejects = con.execute(
            "SELECT kind, source, reason, count(*) AS n FROM rejects GROUP BY ALL "
            "ORDER BY n DESC, kind, source, reason").df()
        n_files, n_empty = con.execute(
            "SELECT count(*), coalesce(sum(empty_filings), 0) FROM ingests "
            "WHERE status = 'ingested'").fetchall()[0]
        name = con.execute("PRAGMA database_list").fetchall()[0][2]
        dating = dating_text(con)
    cov = compute_coverage(trades, spans if len(spans) else None)
    parts = [f"Store {name}: {n_files} files ingested", "", cov.to_text(top=top), "",
             f"Filings with no transaction detail (paper filings, counted not parsed): {n_empty}",
             "", "Rejects by reason:"]
    parts.append(rejects.head(top).to_string(index=False) if len(rejects) else "  (none)")
    if len(rejects) > top:
        parts.append(f"  ... {len(rejects) - top} more reasons")
    return "\n".join(parts + ["", dating])


def dating_text(con) -> str:
    """How party/state/chamber of the stored trades were dated, and the committee tables."""
    rows = con.execute(
        "SELECT chamber, coalesce(party_source, 'unresolved') AS how, "
        "bioguide_id IN (SELECT bioguide_id FROM legislator_terms) AS in_yaml, count(*) "
        "FROM trades GROUP BY ALL").fetchall()
    n = {}
    for chamber, how, in_yaml, k in rows:
        n[(chamber, how)] = n.get((chamber, how), 0) + k
        if how == "last_term" and in_yaml:
            n[("all", "uncovered")] = n.get(("all", "uncovered"), 0) + k
    tot = lambda how: sum(v for (c, h), v in n.items() if h == how and c != "all")  # noqa: E731
    def by(how: str) -> str:
        parts = ", ".join(f"{c} {v:,}" for (c, h), v in sorted(n.items())
                          if h == how and c != "all")
        return f" ({parts})" if parts else ""

    n_comm, n_sub = con.execute("SELECT count(*) FILTER (parent_id IS NULL), "
                                "count(*) FILTER (parent_id IS NOT NULL) FROM committees"
                                ).fetchall()[0]
    n_seats, n_members = con.execute("SELECT count(*), count(DISTINCT bioguide_id) "
                                     "FROM committee_members").fetchall()[0]
    n_terms, n_term_members = con.execute("SELECT count(*), count(DISTINCT bioguide_id) "
                                          "FROM legislator_terms").fetchall()[0]
    return "\n".join([
        f"Party, state and chamber of trades (legislator terms: {n_terms:,} periods of "
        f"{n_term_members:,} members):",
        f"  dated by the term covering the transaction date: {tot('term'):,}{by('term')}",
        f"  by the CSV's last term: {tot('last_term'):,}{by('last_term')}; of which "
        f"{n.get(('all', 'uncovered'), 0):,} by members in the terms table on dates no term "
        "covers",
        f"  unresolved (left as filed): {tot('unresolved'):,}",
        f"Committees: {n_comm:,} committees and {n_sub:,} subcommittees; {n_seats:,} seats of "
        f"{n_members:,} members (current Congress only: no history)",
    ])


def cmd_summary(args) -> int:
    t0 = time.perf_counter()
    print(summary_text(args.store, top=args.top))
    print(f"\nsummary took {time.perf_counter() - t0:.1f} s")
    return 0


def cmd_fetch(args) -> int:
    from workbench.config import project_root
    from workbench.data.fetch import fetch
    from workbench.data.store.ingestion import ingest

    dest = args.dest or project_root() / "data" / "raw" / args.what
    paths = fetch(args.what, dest, base_url=args.base_url, progress=not args.no_progress)
    for p in paths:
        print(f"downloaded {p}")
    if not args.no_ingest:
        print(ingest(paths, args.store).to_text())
    return 0


def cmd_synth(args) -> int:
    from workbench.config import default_seed, store_path
    from workbench.data.store import write_universe
    from workbench.synthetic.generator import generate_universe

    seed = default_seed() if args.seed is None else args.seed
    out = args.out or store_path()
    t0 = time.perf_counter()
    universe = generate_universe(seed)
    path = write_universe(universe, out, overwrite=args.overwrite)
    print(f"synthetic universe seed={seed}: {len(universe.trades):,} trades, "
          f"{universe.prices['ticker'].nunique()} tickers -> {path} "
          f"({time.perf_counter() - t0:.1f} s)")
    return 0
