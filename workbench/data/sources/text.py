"""Cleaning of disclosure text fields: HTML, tickers, names; reading of disclosure files.

Every function here works on one raw value (a ``str`` or ``None``) and is pure, so the parsers
in :mod:`workbench.data.sources.disclosures` call it once per *distinct* value of a column
(:func:`map_unique`); real files repeat a few hundred distinct amounts, owners and types across
thousands of rows.

Functions that can refuse a value return ``(value, reason)``: ``reason`` is ``None`` when the
value is usable and otherwise a short human-readable explanation that ends up in the rejects
table; they never raise. The file helpers (:func:`read_text`, :func:`load_json_list`) raise
:class:`~workbench.exceptions.DataError` naming the file, the record and the reason.

Amounts, dates, owners, sides, asset types and chambers are normalised in
:mod:`workbench.data.sources.fields`; those names are re-exported here.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path

import numpy as np

from workbench.data.sources.fields import (
    _NULL_TOKENS,
    _WS,
    STOCK_ACT_BRACKETS,
    classify_asset_type,
    normalize_chamber,
    normalize_owner,
    normalize_side,
    parse_amount,
    parse_date,
)
from workbench.exceptions import DataError

__all__ = [
    "STOCK_ACT_BRACKETS", "map_unique", "strip_html", "clean_text", "clean_ticker",
    "parse_amount", "parse_date", "normalize_owner", "normalize_side", "classify_asset_type",
    "display_name", "read_text", "load_json_list", "scan_json_records", "record_at",
    "dump_raw", "json_text", "json_type", "filing_id_from_url", "strip_or_none", "clean_raw_name",
    "normalize_chamber", "join_comment", "name_from_office",
]

RAW_MAX = 2000  # characters of a rejected record kept in rejects.raw

_BLOCK_TAGS = frozenset({"br", "p", "div", "li", "tr", "td", "th", "ul", "ol", "table", "hr"})
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-fA-F]+);")


def map_unique(values: Iterable, func: Callable, parts: int | None = None):
    """``func`` applied to each value (hashable: ``str``, ``None``, tuples of them), called once
    per distinct value.

    Returns an object array of the results, or with ``parts=k`` (``func`` returns k-tuples) a
    tuple of k object arrays, one per component. Real disclosure files repeat a few hundred
    distinct amounts, owners and types over thousands of rows, so this is the fast path; the
    tests compare it with ``[func(v) for v in values]``.
    """
    values = values if isinstance(values, list) else list(values)
    table = {v: func(v) for v in dict.fromkeys(values)}
    if parts is None:
        return _object_array(list(map(table.__getitem__, values)))
    return tuple(_object_array(list(map({k: r[j] for k, r in table.items()}.__getitem__, values)))
                 for j in range(parts))


def _object_array(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items  # items are scalars (str, None, float, bool), never sequences
    return out


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment; drop script/style bodies; tags become spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Text content of an HTML fragment: tags removed, entities unescaped, whitespace collapsed.

    ``<script>``/``<style>`` bodies are dropped, block tags (``<br>``, ``<div>``...) become a
    space; double-escaped entities (``&amp;amp;``, seen in the Senate file) are unescaped until
    stable. The result is plain text, *not* safe HTML: an escaped ``&lt;b&gt;`` comes back as a
    literal ``<b>``, so display code must escape it.
    """
    if "<" in text:
        parser = _TextExtractor()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    elif "&" in text:
        text = html.unescape(text)
    for _ in range(2):  # double-escaped scrapes ("&amp;amp;"): unescape until stable
        if "&" not in text or not _ENTITY.search(text):
            break
        text = html.unescape(text)
    return _WS.sub(" ", text).strip()


def clean_text(value: str | None) -> str | None:
    """:func:`strip_html` of a free-text field; empty, ``--`` and ``N/A`` become ``None``."""
    if value is None:
        return None
    text = strip_html(value)
    return None if text.lower() in _NULL_TOKENS else text


_ANCHOR_SPLIT = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ACTIVE = re.compile(r"<\s*(?:script|style|iframe|object|embed)\b", re.IGNORECASE)
_TICKER_OK = re.compile(r"[A-Z0-9^][A-Z0-9.\-/^]{0,24}")


def clean_ticker(value: str | None) -> tuple[str | None, str | None, str | None]:
    """Clean a ticker cell -> ``(ticker, extra_tickers, reason)``.

    HTML anchors are stripped (``<a href="...">PRU</a>`` -> ``PRU``). A cell listing several
    tickers separated by ``<br>`` (spin-offs, mergers: ``DD<br>IFF``) yields the first as the
    ticker and the others, comma-separated, in ``extra_tickers`` (the parser records them in
    ``comment``).
    ``--``, ``""`` and ``N/A`` mean unknown -> ``None``. Anything that is not ticker-shaped
    after cleaning (spaces inside, punctuation, script text) is refused with a reason.
    """
    if value is None:
        return None, None, None
    if _ACTIVE.search(value):
        return None, None, f"invalid ticker {value[:80]!r}"  # script/style: not a ticker
    pieces = [strip_html(p).upper().replace(" ", "") if "<" in p or "&" in p
              else p.strip().upper() for p in _ANCHOR_SPLIT.split(value)]
    pieces = [p for p in pieces if p.lower() not in _NULL_TOKENS]
    if not pieces:
        return None, None, None
    for p in pieces:
        if not _TICKER_OK.fullmatch(p):
            return None, None, f"invalid ticker {value[:80]!r}"
    return pieces[0], (", ".join(pieces[1:]) or None), None


_KEEP_UPPER = frozenset({"II", "III", "IV", "V", "VI"})


def _case_word(word: str) -> str:
    core = word.strip("().,")
    if core.upper() in _KEEP_UPPER:
        return word.upper()
    if word.isupper() or word.islower():  # typed in one case: capitalize each part
        return re.sub(r"(^|[-'(])([a-z])", lambda m: m.group(1) + m.group(2).upper(), word.lower())
    return word


def display_name(raw: str | None) -> str | None:
    """Readable display name from a name as filed (``"RICHARD M BURR"`` -> ``"Richard M Burr"``,
    ``"David A Perdue , Jr"`` -> ``"David A Perdue, Jr"``). Words typed in one case are
    title-cased; mixed-case words (``McConnell``) and Roman numerals (``III``) are kept."""
    if raw is None:
        return None
    text = strip_html(raw)
    text = re.sub(r"\s+,", ",", text).strip(" ,")
    if not text:
        return None
    return " ".join(_case_word(w) for w in text.split(" "))


# --------------------------------------------------------------------------- files
def read_text(path: Path) -> str:
    """Decode a file: UTF-8 (BOM optional) or UTF-16/32 with a BOM; anything else is an error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}", file=str(path)) from exc
    if not data:
        raise DataError("empty file (0 bytes)", file=str(path))
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encoding = "utf-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        prefix = data[:exc.start].decode(encoding, errors="replace")
        raise DataError(
            f"not valid {encoding.replace('-sig', '')} text: byte 0x{data[exc.start]:02x} at line "
            f"{prefix.count(chr(10)) + 1} (binary file, or another encoding such as latin-1: "
            f"re-save it as UTF-8)", file=str(path), row=record_at(prefix)) from exc
    nul = text.find("\x00")
    if nul >= 0:
        raise DataError(f"NUL character at line {text.count(chr(10), 0, nul) + 1}: binary file "
                        f"or UTF-16 without byte-order mark", file=str(path),
                        row=record_at(text[:nul]))
    return text


def record_at(prefix: str) -> int:
    """1-based record number of the record that starts or continues at the end of ``prefix``."""
    stripped = prefix.lstrip()
    if stripped.startswith(("[", "{")):
        count, _ = scan_json_records(stripped)
        return count + 1
    lines = prefix.count("\n")
    return max(lines, 1)  # line 1 is the CSV header


def scan_json_records(text: str) -> tuple[int, str | None]:
    """Walk a JSON list element by element -> (complete records, error message or None)."""
    dec = json.JSONDecoder()
    n, i, k = len(text), 0, 0
    ws = re.compile(r"\s*")
    i = ws.match(text, i).end()
    if i >= n or text[i] != "[":
        return 0, "top-level value is not a JSON list"
    i = ws.match(text, i + 1).end()
    if i < n and text[i] == "]":
        return 0, None
    while True:
        try:
            _, i = dec.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            return k, f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        k += 1
        i = ws.match(text, i).end()
        if i >= n:
            return k, "unexpected end of file (truncated?)"
        if text[i] == "]":
            return k, None
        if text[i] != ",":
            return k, f"expected ',' or ']' at character {i}"
        i = ws.match(text, i + 1).end()


def load_json_list(path: Path, text: str) -> list:
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise DataError("JSON nested too deeply to be a disclosure file", file=str(path)) from exc
    except json.JSONDecodeError as exc:
        count, msg = scan_json_records(text)
        raise DataError(f"invalid JSON in record {count + 1}: {msg or exc.msg} "
                        f"(file truncated or corrupt?)", file=str(path), row=count + 1) from exc
    if not isinstance(data, list):
        raise DataError(f"top-level JSON value is {type(data).__name__}, expected a list of "
                        f"records", file=str(path))
    return data


def dump_raw(obj: object) -> str:
    try:
        s = json.dumps(obj, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        s = repr(obj)
    return s[:RAW_MAX]


def json_type(value: object) -> str:
    """JSON type name of a decoded value (``object``, ``array``, ``string``, ...)."""
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def json_text(value: object) -> tuple[str | None, bool]:
    """JSON value -> (text, ok). Numbers become text; objects and lists are not text."""
    if value is None or isinstance(value, str):
        return value, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int | float):
        return str(value), True
    return None, False


_UUID = re.compile(r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")
_PDF_ID = re.compile(r"/(\d+)\.pdf$", re.IGNORECASE)


def filing_id_from_url(url: str | None) -> str | None:
    """Senate eFD uuid (lower-cased) or House PDF number from a source URL."""
    if not url:
        return None
    m = _UUID.search(url)
    if m:
        return m.group(1).lower()
    m = _PDF_ID.search(url.strip())
    return m.group(1) if m else None


def strip_or_none(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def clean_raw_name(value: str | None) -> str | None:
    return None if value is None else (strip_html(value) or None)


def join_comment(comment: str | None, extra: str | None) -> str | None:
    if not extra:
        return comment
    also = "also: " + extra
    return f"{comment}; {also}" if comment else also


def name_from_office(office: str | None) -> str | None:
    """``"Collins, Susan M. (Senator)"`` -> ``"Susan M. Collins"``; bare ``"Senator"`` -> None."""
    if not office:
        return None
    text = re.sub(r"\([^)]*\)", "", office).strip()
    if "," in text:
        last, first = (p.strip() for p in text.split(",", 1))
        text = f"{first} {last}".strip()
    return text if text and text.lower() != "senator" else None
