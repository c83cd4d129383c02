"""Filer names: normalisation, the nickname table and the given-name matching rules.

:func:`normalize_name` turns a name as filed into normalized tokens; :data:`NICKNAMES` lists
the groups of interchangeable given names; :func:`_name_method` decides how (and whether) the
given names of a filing match one legislator, scored by :data:`METHOD_SCORES`. Used by
:func:`workbench.data.resolution.resolve_legislators`, which applies the resolution rules
(age, state, district, chamber, ...) to the candidates these rules leave; the underscored
helpers are shared with that module.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["normalize_name", "NICKNAMES", "HONORIFICS", "SUFFIXES", "METHOD_SCORES",
           "WEAK_METHODS"]

# Groups of interchangeable given names (";"-separated). A name matches another when both sit
# in one group; groups are not merged transitively, so Ted~Edward and Ted~Rafael do not make
# Edward~Rafael.
NICKNAMES: tuple[tuple[str, ...], ...] = tuple(tuple(g.split()) for g in """
    ted rafael; ted edward ed eddie; ted theodore teddy; tom thom thomas tommy;
    bill william will billy willy liam; mike michael mick mickey; jim james jimmy jamie;
    dick richard rick rich richie ricky; rick eric erick; rick frederick;
    chuck charles charlie chip chaz; joe joseph joey; tim timothy;
    jacky jackie jacklyn jacqueline; mitch mitchell addison; bob bobby rob robbie robert bert;
    dan danny daniel; dave david; chris christopher; chris christine christina; ben benjamin;
    pat patrick paddy; pat patty patricia trish; steve steven stephen; don donald donnie;
    greg gregory; pete peter; gil gilbert; val valerie; brad bradley; josh joshua;
    jack john johnny; jon jonathan; nick nicholas; cliff clifford; andy andrew drew;
    tony anthony; al albert alan allen alfred alexander; alex alexander alexandria;
    liz beth betsy betty elizabeth eliza;
    kate kathy katie cathy katherine kathleen catherine kathryn; sue susie susan suzanne suzan;
    debbie deb debra deborah; jerry gerald jerome gerard; larry lawrence laurence;
    ron ronald ronnie; sam samuel sammy; tammy tamara; vicky vicki victoria tori;
    zach zack zachary; matt matthew; nate nathan nathaniel; ken kenny kenneth; fred frederick;
    frank francis franklin; hank harry henry; jeff jeffrey jefferson; doug douglas;
    bernie bernard; mel melvin; sandy sandra; jen jenny jennifer; cindy cynthia;
    meg maggie margaret; barb barbara; abby abigail; gus augustus august; jay james; lou louis;
    ray raymond; walt walter; phil phillip philip; stan stanley; vern vernon;
    randy randall randolph; jodi jodie joanne; angie angela
""".split(";"))
_EQUIV: dict[str, frozenset[str]] = {}
for _group in NICKNAMES:
    for _name in _group:
        _EQUIV[_name] = _EQUIV.get(_name, frozenset()) | frozenset(_group)

HONORIFICS = frozenset({
    "dr", "mr", "mrs", "ms", "miss", "hon", "honorable", "md", "facs", "phd", "esq", "dds",
    "senator", "sen", "rep", "representative", "congressman", "congresswoman",
})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
# Name-match methods, strongest first, with the score reported in ``by_name``.
METHOD_SCORES = {"exact": 1.0, "nickname": 0.9, "initials": 0.85, "middle": 0.8, "given": 0.75,
                 "initial_of_first": 0.6, "last_only": 0.5}
WEAK_METHODS = frozenset({"initial_of_first", "last_only"})


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def normalize_name(text) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split a name as filed into normalized tokens and bracketed nickname tokens.

    Lower-cases, strips accents, apostrophes and periods, turns other punctuation into
    spaces, drops honorifics (Dr, Mrs, MD, ...) and trailing suffixes (Jr, Sr, II-IV, V).
    Parenthesized or quoted words (``RAFAEL EDWARD (TED) CRUZ``, ``Robert C. "Bobby" Scott``)
    are returned apart, as nickname tokens.

    Examples
    --------
    >>> normalize_name("David A Perdue , Jr")
    (('david', 'a', 'perdue'), ())
    >>> normalize_name('RAFAEL EDWARD (TED) CRUZ')
    (('rafael', 'edward', 'cruz'), ('ted',))
    """
    if _missing(text):
        return (), ()
    text = _ascii(str(text)).lower()
    bracketed = re.findall(r"\(([^)]*)\)|\"([^\"]*)\"|“([^”]*)”", text)
    text = re.sub(r"\([^)]*\)|\"[^\"]*\"|“[^”]*”", " ", text)

    def tokens(s: str) -> list[str]:
        s = re.sub(r"['’`.]", "", s)
        return [t for t in re.sub(r"[^a-z]+", " ", s).split() if t not in HONORIFICS]

    main = tokens(text)
    while len(main) > 1 and main[-1] in SUFFIXES:
        main.pop()
    extra = [t for parts in bracketed for part in parts for t in tokens(part)]
    return tuple(main), tuple(t for t in extra if t not in SUFFIXES)


def _last_keys(last_name) -> list[tuple[str, bool]]:
    """Index keys of a legislator's last name: the joined name, and each part if compound."""
    toks, _ = normalize_name(last_name)
    if not toks:
        return []
    keys = [("".join(toks), False)]
    if len(toks) > 1:
        keys += [(t, True) for t in toks if len(t) > 2]
    return keys


def _equiv(names: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for n in names:
        out |= _EQUIV.get(n, frozenset({n}))
    return out


@dataclass(frozen=True)
class _Given:
    first: tuple[str, ...]
    middle: tuple[str, ...]
    nick: frozenset[str]          # nickname column, given names of full_name, table equivalents


def _given_names(first_name, middle_name, last_name, nickname, full_name) -> _Given:
    first, _ = normalize_name(first_name)
    middle, _ = normalize_name(middle_name)
    nick_toks, _ = normalize_name(nickname)
    full, _ = normalize_name(full_name)
    last = set(normalize_name(last_name)[0])
    full_given = {t for t in full if t not in last and len(t) > 1}
    base = {t for t in (*first[:1], *nick_toks) if len(t) > 1} | full_given
    return _Given(first, middle, frozenset(_equiv(base) | base))


def _name_method(given: tuple[str, ...], bracket: tuple[str, ...], g: _Given) -> str | None:
    """How the raw given names match one legislator, or None if they conflict."""
    if not given:
        return "last_only"
    f0 = g.first[0] if g.first else ""
    head = given[0]
    middles = {t for t in g.middle if len(t) > 1} | {t for t in g.first[1:] if len(t) > 1}
    if len(head) > 1 and head == f0:
        return "exact"
    if len(head) > 1 and head in g.nick:
        return "nickname"
    if any(t in g.nick for t in bracket if len(t) > 1):
        return "nickname"
    if f0 and head[0] == f0[0] and (len(head) == 1 or len(f0) == 1):
        rest = [t for t in given[1:] if len(t) > 1 and t not in g.nick and t not in middles]
        return "initials" if not rest else None
    if len(head) > 1 and head in (middles | _equiv(middles)):
        return "middle"
    later = [t for t in given[1:] if len(t) > 1]
    if any((t == f0 and len(f0) > 1) or t in g.nick for t in later):
        return "given"
    # Legal first name filed with the initial of the name the member goes by (Nicholas V.
    # Taylor is Van Taylor): weakest evidence, scored below every other method.
    if len(f0) > 1 and any(len(t) == 1 and t == f0[0] for t in given[1:]):
        return "initial_of_first"
    return None
