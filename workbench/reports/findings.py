"""Findings: the short, generated summary every report opens with.

Each analysis turns its own result objects into :class:`Finding` values (numbers with
intervals and a plain verdict); notebooks display them with :func:`render_findings` right
after the title, before any figure. Text is always built from results, never typed by hand
into a notebook. Every string is HTML-escaped on output (names and tickers come from data).

On the synthetic source, :func:`synthetic_banner` says plainly that the data is simulated.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["VERDICTS", "Finding", "FindingsBlock", "render_findings", "synthetic_banner",
           "is_synthetic"]

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


def synthetic_banner(universe) -> _Banner | str:
    """A banner for the top of a report on the synthetic source; ``""`` for real data."""
    if not is_synthetic(universe):
        return ""
    seed = getattr(getattr(universe, "truth", None), "seed", None)
    return _Banner("This report runs on the seeded synthetic universe"
                   + (f" (seed {seed})" if seed is not None else "")
                   + ": politicians, tickers and trades are invented, and effects (cycles, "
                   "regimes, communities, informed traders, anomalies) were planted so that "
                   "recovery can be checked.")
