"""Which table a file feeds: :func:`detect_kind` from the file's suffix and first bytes.

Used by :func:`workbench.data.store.ingestion.ingest` when no ``kind`` is forced.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from workbench.data.sources.disclosures import detect_source
from workbench.exceptions import DataError

__all__ = ["detect_kind", "read_head"]


def read_head(path: Path, n: int = 4096) -> str:
    """First ``n`` characters of a file (of the first member of a zip), lower-cased."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            names = [m for m in zf.namelist() if not m.endswith("/")]
            if not names:
                raise DataError("empty zip archive", file=str(path))
            with zf.open(names[0]) as fh:
                raw = fh.read(n)
    else:
        with open(path, "rb") as fh:
            raw = fh.read(n)
    return raw.decode("utf-8", errors="replace").lower()


def detect_kind(path: str | Path) -> str:
    """Which table a file feeds: one of :data:`workbench.data.store.ingestion.KINDS`.

    Rules, in order: ``.json`` -> trades; ``.yaml``/``.yml`` -> congress-legislators YAML: a
    list with ``thomas_id`` -> committees, a list with ``bioguide`` and ``terms`` ->
    legislator_terms, a mapping of committee ids to seats -> committee_members;
    ``.parquet`` -> options when it has ``strike``,
    else prices; ``.zip``/``.csv`` by header: Ken French text or ``,mkt-rf`` -> factors;
    ``bioguide_id`` with ``last_name`` -> legislators; ``symbol,name,...sector`` -> securities;
    ``strike`` with ``contract``/``expiration`` -> options; AlphaVantage (``timestamp,open``),
    yfinance (``date,open,...,adj close``) or canonical ``date,ticker`` -> prices; any other
    CSV that :func:`workbench.data.sources.disclosures.detect_source` recognizes -> trades.

    Raises
    ------
    DataError
        Naming the file, when nothing matches.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "trades"
    if suffix in (".yaml", ".yml"):
        return _detect_yaml(path)
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        names = {n.lower() for n in pq.read_schema(path).names}
        return "options" if "strike" in names else "prices"
    head = read_head(path)
    first = head.splitlines()[0] if head else ""
    header = next((ln for ln in head.splitlines() if "," in ln), "")
    cols = [c.strip().strip('"') for c in header.split(",")]
    if "mkt-rf" in head and ("french" in head or "crsp" in head or cols[:2] == ["", "mkt-rf"]
                             or first.startswith("this file")):
        return "factors"
    if "bioguide_id" in cols and "last_name" in cols:
        return "legislators"
    if cols[:2] == ["symbol", "name"] and any("sector" in c for c in cols):
        return "securities"
    if "strike" in cols and any(c in cols for c in ("contractsymbol", "contract_symbol",
                                                     "expiration")):
        return "options"
    if (cols[:2] == ["timestamp", "open"] or ({"date", "open", "close"} <= set(cols))
            or cols[:2] == ["date", "ticker"]):
        return "prices"
    if suffix in (".csv", ".zip"):
        try:
            detect_source(path)
        except Exception as exc:
            raise DataError(f"cannot tell what this file holds ({exc})", file=str(path)) from exc
        return "trades"
    raise DataError("cannot tell what this file holds (expected .json, .csv, .zip or .parquet "
                    "of a known layout; pass --kind)", file=str(path))


def _detect_yaml(path: Path) -> str:
    """congress-legislators YAML: member terms, committees or committee membership."""
    lines = [ln for ln in read_head(path, 8192).splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    head = "\n".join(lines)
    if lines and lines[0].startswith("- ") and "thomas_id:" in head:
        return "committees"
    if lines and lines[0].startswith("- ") and "bioguide:" in head and "terms:" in head:
        return "legislator_terms"
    if lines and re.fullmatch(r"[a-z]{4}(\d{2})?:\s*", lines[0]) and "bioguide:" in head:
        return "committee_members"  # read_head lower-cases: committee ids look like "ssaf:"
    raise DataError("a YAML file that is none of legislators-current.yaml (terms), "
                    "committees-current.yaml, committee-membership-current.yaml",
                    file=str(path))
