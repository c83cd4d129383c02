"""Findings: the short, generated summary every report opens with.

Each analysis turns its own result objects into :class:`Finding` values (numbers with
intervals and a plain verdict); notebooks display them with :func:`render_findings` right
after the title, before any figure. Text is always built from results, never typed by hand
into a notebook. Every string is HTML-escaped on output (names and tickers come from data).

On the synthetic source, :func:`synthetic_banner` says plainly that the data is simulated.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = ["VERDICTS", "FINDINGS_MIME", "Finding", "FindingsBlock", "render_findings",
           "synthetic_banner", "synthetic_banner_text", "is_synthetic", "verdict_from_p", "verdict_from_ci",
           "PlantedRecovered", "planted_vs_recovered", "recovery_verdict"]

# Machine-readable copy of a findings block in the executed notebook: the report index reads
# the headline finding of each report from it.
FINDINGS_MIME = "application/vnd.workbench.findings+json"

# Verdict vocabulary; "info" is for facts that carry no test (sizes, coverage).
VERDICTS = ("significant", "not significant", "beats baseline", "does not beat baseline",
            "recovered", "partly recovered", "not recovered", "info")


@dataclass(frozen=True)
class Finding:
    """One sentence a reader takes away.

    Attributes
    ----------
    headline : str
        One sentence with its numbers, e.g. ``"Buys earn +2.1%/yr FF5 alpha [-1.0, 5.2]"``.
    verdict : str
        One of :data:`VERDICTS`.
    detail : str
        Optional second sentence: the test, the level, the sample.
    """

    headline: str
    verdict: str = "info"
    detail: str = ""

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


def is_synthetic(universe) -> bool:
    """True when the universe came from the synthetic generator."""
    return str(getattr(universe, "source", "")) == "synthetic" or (
        getattr(universe, "truth", None) is not None)


@dataclass(frozen=True)
class FindingsBlock:
    """Displayable block of findings (HTML in Jupyter and in the exported report)."""

    findings: tuple[Finding, ...]
    synthetic: bool = False
    title: str = "Findings"

    def to_html(self) -> str:
        items = []
        for f in self.findings:
            verdict = html.escape(f.verdict)
            css = verdict.replace(" ", "-")
            detail = f' <span class="wb-detail">{html.escape(f.detail)}</span>' if f.detail else ""
            items.append(f'<li><span class="wb-verdict wb-{css}">{verdict}</span> '
                         f"{html.escape(f.headline)}{detail}</li>")
        if not items:
            items.append("<li>No findings: the analysis produced no result on this data.</li>")
        note = ""
        if self.synthetic:
            note = ('<p class="wb-synthetic-note">Computed on simulated data with planted '
                    "effects; the numbers describe the simulation, not Congress.</p>")
        return (f'<div class="wb-findings"><h2>{html.escape(self.title)}</h2>{note}'
                f'<ul>{"".join(items)}</ul></div>')

    def to_text(self) -> str:
        return "\n".join(f"[{f.verdict}] {f.headline}" + (f" {f.detail}" if f.detail else "")
                         for f in self.findings)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.to_html(), "text/plain": self.to_text(),
                FINDINGS_MIME: {"title": self.title, "synthetic": self.synthetic,
                                "findings": [{"headline": f.headline, "verdict": f.verdict,
                                              "detail": f.detail} for f in self.findings]}}

    def headline(self) -> str:
        """The first finding as one line (``"[verdict] headline"``), ``""`` when empty."""
        if not self.findings:
            return ""
        f = self.findings[0]
        return f"[{f.verdict}] {f.headline}"

    def __repr__(self) -> str:
        return self.to_text()


def render_findings(findings: Sequence[Finding], *, universe=None,
                    title: str = "Findings") -> FindingsBlock:
    """The block a notebook displays first (escaped HTML)."""
    return FindingsBlock(tuple(findings), synthetic=universe is not None and is_synthetic(universe),
                         title=title)


@dataclass(frozen=True)
class _Banner:
    text: str

    def _repr_html_(self) -> str:
        return f'<div class="wb-banner wb-synthetic-banner"><strong>Simulated data.</strong> {html.escape(self.text)}</div>'

    def __repr__(self) -> str:
        return f"Simulated data. {self.text}"


def synthetic_banner_text(seed=None) -> str:
    """The sentence of the "simulated data" banner (also used by the report header)."""
    return ("This report runs on the seeded synthetic universe"
            + (f" (seed {seed})" if seed is not None else "")
            + ": politicians, tickers and trades are invented, and effects (cycles, "
            "regimes, communities, informed traders, anomalies) were planted so that "
            "recovery can be checked.")


def synthetic_banner(universe) -> _Banner | str:
    """A banner for the top of a report on the synthetic source; ``""`` for real data."""
    if not is_synthetic(universe):
        return ""
    seed = getattr(getattr(universe, "truth", None), "seed", None)
    return _Banner(synthetic_banner_text(seed))


def verdict_from_p(p: float, level: float = 0.05) -> str:
    """``"significant"`` when ``p < level``, else ``"not significant"`` (NaN: not significant)."""
    try:
        return "significant" if float(p) < level else "not significant"
    except (TypeError, ValueError):
        return "not significant"


def verdict_from_ci(low: float, high: float, *, baseline: float = 0.0) -> str:
    """``"beats baseline"`` when the whole interval lies above ``baseline``."""
    try:
        return "beats baseline" if float(low) > baseline else "does not beat baseline"
    except (TypeError, ValueError):
        return "does not beat baseline"


def recovery_verdict(n_recovered: int, n_planted: int) -> str:
    """``recovered`` (all), ``partly recovered`` (some) or ``not recovered`` (none)."""
    if n_planted <= 0:
        return "info"
    if n_recovered >= n_planted:
        return "recovered"
    return "partly recovered" if n_recovered > 0 else "not recovered"


@dataclass(frozen=True)
class PlantedRecovered:
    """What the synthetic universe planted beside what a report's detectors found.

    Attributes
    ----------
    rows : tuple of dict
        ``detector, planted, recovered, verdict, detail`` (text; verdict from
        :data:`VERDICTS`, usually via :func:`recovery_verdict`).
    synthetic : bool
        False on real data (nothing was planted: the table says so).
    """

    rows: tuple[Mapping[str, str], ...]
    synthetic: bool = True

    COLUMNS = ("detector", "planted", "recovered", "verdict", "detail")

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{c: str(r.get(c, "")) for c in self.COLUMNS} for r in self.rows],
                            columns=list(self.COLUMNS))

    def findings(self) -> list[Finding]:
        """One finding per detector (for the findings block)."""
        return [Finding(f"{r['detector']}: planted {r['planted']}; recovered {r['recovered']}",
                        r.get("verdict", "info"), r.get("detail", "")) for r in self.rows]

    def _table(self):
        from workbench.reports.tables import show_table

        return show_table(self.to_frame(), "planted_vs_recovered",
                          caption="Planted vs recovered (synthetic universe ground truth)",
                          interactive=False)

    def to_html(self) -> str:
        if not self.synthetic:
            return ('<p class="wb-note">Real data: nothing was planted, so there is no '
                    "planted-vs-recovered check.</p>")
        return self._table().to_html()

    def _repr_mimebundle_(self, include=None, exclude=None):
        if not self.synthetic:
            return {"text/html": self.to_html(), "text/plain": "no planted truth (real data)"}
        return self._table()._repr_mimebundle_()


def planted_vs_recovered(rows: Sequence[Mapping[str, str]], universe=None) -> PlantedRecovered:
    """The planted-vs-recovered table a report shows on synthetic data.

    ``rows``: one mapping per detector with ``detector, planted, recovered, verdict, detail``.
    With a real-data ``universe`` the table is replaced by a one-line note.
    """
    for r in rows:
        if r.get("verdict", "info") not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {r.get('verdict')!r}")
    synthetic = True if universe is None else is_synthetic(universe)
    return PlantedRecovered(tuple(dict(r) for r in rows), synthetic=synthetic)
