"""Per-politician profiles: one report per member of Congress from ``notebooks/12_politician``.

``workbench reports build --politicians top:20`` (or ``--politicians P000197,S000148``) renders
``reports/politicians/<bioguide_id>.html`` for each member. Ids are checked against the
bioguide pattern (one capital letter, six digits) before anything runs: a value such as
``../x`` or ``<script>`` is refused with a clear error, and since output paths are built from
validated ids only, no parameter can steer a file elsewhere.

On the synthetic universe members have bioguide-shaped ids as well (``R900000``...), so the
same command works on both sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from workbench.exceptions import ReportError

__all__ = ["BIOGUIDE_PATTERN", "PROFILE_NOTEBOOK", "PROFILE_DIR", "check_bioguide_id",
           "parse_politicians", "top_politicians", "resolve_politicians", "profile_html_path",
           "with_profile_links"]

BIOGUIDE_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")
PROFILE_NOTEBOOK = "12_politician"
PROFILE_DIR = "politicians"
_TOP = re.compile(r"^top:(\d{1,4})$")


def check_bioguide_id(value: object) -> str:
    """``value`` when it is a bioguide id (``^[A-Z][0-9]{6}$``); :class:`ReportError` otherwise.

    The error repeats the value with ``repr`` (so control characters and markup show as text).
    """
    text = value if isinstance(value, str) else ""
    if not BIOGUIDE_PATTERN.fullmatch(text):
        raise ReportError(f"politician {value!r} is not a bioguide id: expected one capital "
                          "letter and six digits, e.g. P000197")
    return text


def profile_html_path(bioguide_id: str) -> str:
    """``politicians/<id>.html`` (relative to the reports' root) for a checked id."""
    return f"{PROFILE_DIR}/{check_bioguide_id(bioguide_id)}.html"


def parse_politicians(spec: str | Sequence[str]) -> int | list[str]:
    """``"top:20"`` -> ``20``; ``"A000001,B000002"`` (or a list) -> checked ids, order kept.

    Raises
    ------
    ReportError
        An entry that is not a bioguide id, or ``top:0``.
    """
    if isinstance(spec, str):
        m = _TOP.fullmatch(spec.strip())
        if m:
            n = int(m.group(1))
            if n < 1:
                raise ReportError("--politicians top:N needs N >= 1")
            return n
        items = [s.strip() for s in spec.split(",") if s.strip()]
    else:
        items = [str(s).strip() for s in spec]
    if not items:
        raise ReportError("--politicians: give top:N or a comma-separated list of bioguide ids")
    out: list[str] = []
    for item in items:
        pid = check_bioguide_id(item)
        if pid not in out:
            out.append(pid)
    return out


def top_politicians(trades, n: int) -> list[str]:
    """The ``n`` bioguide ids with the most trades (ties by id); unresolved names are skipped."""
    ids = trades["bioguide_id"].dropna().astype(str)
    ids = ids[ids.map(lambda s: bool(BIOGUIDE_PATTERN.fullmatch(s)))]
    counts = ids.value_counts()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [pid for pid, _ in ranked[:n]]


def resolve_politicians(spec: str | Sequence[str], *, source: str = "synthetic",
                        seed: int | None = None, smoke: bool = False,
                        known: Iterable[str] | None = None) -> list[str]:
    """Bioguide ids to profile: ``top:N`` ranked on the universe's trades, or checked ids.

    Listed ids that do not appear in the universe's trades are refused (a profile of nobody
    is an error, not an empty report). ``known`` skips loading the universe (tests).
    """
    parsed = parse_politicians(spec)
    if known is None:
        from workbench.reports.notebook import load_universe

        trades = load_universe(source, seed=seed, smoke=smoke).trades
        if isinstance(parsed, int):
            return top_politicians(trades, parsed)
        known = set(trades["bioguide_id"].dropna().astype(str))
    else:
        known = set(known)
        if isinstance(parsed, int):
            return sorted(known)[:parsed]
    missing = [p for p in parsed if p not in known]
    if missing:
        raise ReportError(f"--politicians: no trades for {missing} in this universe")
    return parsed


def profile_notebook(notebooks_dir: str | Path) -> Path:
    """Path of the profile notebook; :class:`ReportError` when it is missing."""
    path = Path(notebooks_dir) / f"{PROFILE_NOTEBOOK}.ipynb"
    if not path.exists():
        raise ReportError(f"profile notebook not found: {path}")
    return path


def with_profile_links(frame, trades, *, column: str = "politician", prefix: str = ""):
    """``frame`` plus ``bioguide_id`` and ``profile`` (``politicians/<id>.html``) columns.

    For :func:`workbench.reports.tables.show_table` ``links={column: "profile"}``: the name
    links to the member's profile page (links to profiles the build did not render are removed
    when the build ends). Names without a bioguide id get no link.
    """
    import pandas as pd

    ids = (trades.dropna(subset=["bioguide_id"]).astype({"politician": str})
           .groupby("politician")["bioguide_id"].first().astype(str))
    out = frame.copy()
    bio = out[column].astype(str).map(ids)
    out["bioguide_id"] = bio
    out["profile"] = [f"{prefix}{PROFILE_DIR}/{b}.html"
                      if isinstance(b, str) and BIOGUIDE_PATTERN.fullmatch(b) else pd.NA
                      for b in bio]
    return out
