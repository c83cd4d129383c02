"""Helpers of the report tests: tiny notebooks and the XSS payload."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from workbench.config import project_root

NOTEBOOKS = project_root() / "notebooks"
PAYLOAD = ("<script>document.title='XSS'</script>"
           "<img src=x onerror=\"document.body.setAttribute('data-xss','1')\">")

TINY_PARAMS = ('source: str = "synthetic"  # data source\n'
               "seed: int = 1  # seed\n"
               "smoke: bool = False  # small run\n"
               'note: str = "hi"  # free text shown by the notebook')


def make_notebook(path: Path, cells: list[str], *, params: str = TINY_PARAMS,
                  title: str = "# Tiny") -> Path:
    """Write a notebook: markdown title, tagged parameters cell, then ``cells`` as code."""
    nb = new_notebook(cells=[new_markdown_cell(title),
                             new_code_cell(params, metadata={"tags": ["parameters"]}),
                             *[new_code_cell(c) for c in cells]])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


TINY_OK = ["import workbench.plotting.theme\nworkbench.plotting.theme.setup_notebook()",
           "import plotly.graph_objects as go\n"
           "go.Figure(go.Bar(x=['a', note], y=[1, seed]))",
           "print(note, seed, smoke)"]
TINY_MIN = ["print(note, seed, smoke)"]
TINY_FAIL = ["raise ValueError('boom <b>bold</b>')"]


def index_rows(out: Path) -> dict[str, dict]:
    return {r["name"]: r for r in json.loads((out / "index.json").read_text())}
