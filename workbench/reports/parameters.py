"""Notebook parameters: read the cell tagged ``parameters`` and coerce command-line values.

A parameters cell holds one typed, commented assignment per line::

    source: str = "synthetic"  # "synthetic" or a DuckDB store path
    seed: int = 20120101  # seed of the synthetic universe
    smoke: bool = False  # shrink the work (CI)

:func:`read_parameters` parses it with :mod:`ast` (values) and :mod:`tokenize` (comments);
nothing in the notebook is executed.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from workbench.exceptions import ReportError

__all__ = ["NotebookParameter", "read_parameters", "parameters_cell", "coerce_value",
           "parse_assignments", "resolve_parameters", "SUPPORTED_TYPES"]

SUPPORTED_TYPES = ("str", "int", "float", "bool")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class NotebookParameter:
    """One parameter of a notebook.

    Attributes
    ----------
    name : str
    type : str
        Annotation as written (``str``, ``int``, ``float``, ``bool``), ``""`` when missing.
    default : object
        Literal default value (``ast.literal_eval``), ``None`` when not a literal.
    default_text : str
        The default as written in the cell.
    help : str
        The comment on the same line, without ``#``; ``""`` when missing.
    line : int
        1-based line inside the parameters cell.
    """

    name: str
    type: str
    default: Any
    default_text: str
    help: str
    line: int


def parameters_cell(nb: nbformat.NotebookNode, *, file: str = "<notebook>") -> tuple[int, str]:
    """Index and source of the single cell tagged ``parameters``.

    Raises
    ------
    ReportError
        No cell, or more than one cell, carries the tag.
    """
    hits = [(i, c) for i, c in enumerate(nb.cells)
            if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(hits) != 1:
        raise ReportError(f"{file}: expected exactly one cell tagged 'parameters', found {len(hits)}")
    i, cell = hits[0]
    return i, cell.source


def _comments_by_line(source: str) -> dict[int, str]:
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return out


def read_parameters(notebook: str | Path | nbformat.NotebookNode) -> tuple[NotebookParameter, ...]:
    """Parameters declared in a notebook's ``parameters`` cell, in order.

    Parameters
    ----------
    notebook : path or NotebookNode

    Returns
    -------
    tuple of NotebookParameter

    Raises
    ------
    ReportError
        Missing or duplicated parameters cell, or a cell that is not valid Python.
    """
    if isinstance(notebook, str | Path):
        file = str(notebook)
        try:
            nb = nbformat.read(str(notebook), as_version=4)
        except Exception as exc:  # nbformat raises several unrelated types
            raise ReportError(f"{file}: cannot read notebook: {exc}") from exc
    else:
        file, nb = "<notebook>", notebook
    _, source = parameters_cell(nb, file=file)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ReportError(f"{file}: parameters cell line {exc.lineno}: {exc.msg}") from exc
    comments = _comments_by_line(source)
    params: list[NotebookParameter] = []
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, typ, value = node.target.id, ast.unparse(node.annotation), node.value
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name)):
            name, typ, value = node.targets[0].id, "", node.value
        else:
            continue
        text = "" if value is None else ast.get_source_segment(source, value) or ""
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = None
        params.append(NotebookParameter(name=name, type=typ, default=default, default_text=text,
                                        help=comments.get(node.lineno, ""), line=node.lineno))
    return tuple(params)


def coerce_value(text: str, typ: str, *, name: str = "?") -> Any:
    """Convert a command-line string to the parameter's declared type.

    ``bool`` accepts 1/0, true/false, yes/no, on/off; ``str`` keeps the text as is (it is
    injected as a Python literal by papermill, never evaluated); an empty or unknown type keeps
    the string.
    """
    if typ == "int":
        try:
            return int(text)
        except ValueError:
            raise ReportError(f"parameter {name}: {text!r} is not an int") from None
    if typ == "float":
        try:
            return float(text)
        except ValueError:
            raise ReportError(f"parameter {name}: {text!r} is not a float") from None
    if typ == "bool":
        low = text.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ReportError(f"parameter {name}: {text!r} is not a bool (true/false)")
    return text


def parse_assignments(items: list[str] | tuple[str, ...] | None) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` -> ``{"a": "1", "b": "x=y"}``; names must be identifiers."""
    out: dict[str, str] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ReportError(f"-p expects NAME=VALUE, got {item!r}")
        out[name] = value
    return out


def resolve_parameters(declared: tuple[NotebookParameter, ...], given: dict[str, Any]) -> dict:
    """Values to inject into one notebook: the given ones it declares, coerced to their types.

    Strings are coerced with :func:`coerce_value`; non-string values (already typed by the
    caller, e.g. ``seed=3``) are passed through. Parameters the notebook does not declare are
    left out (other notebooks may declare them).
    """
    by_name = {p.name: p for p in declared}
    out: dict[str, Any] = {}
    for name, value in given.items():
        p = by_name.get(name)
        if p is None:
            continue
        out[name] = coerce_value(value, p.type, name=name) if isinstance(value, str) else value
    return out
