"""Notebook conventions (ARCHITECTURE.md), checked on every notebook in notebooks/.

- the first cell is a markdown title (``# ...``);
- exactly one cell tagged ``parameters``, declaring at least ``source``, ``seed``, ``smoke``,
  every line typed (str/int/float/bool) and commented, parseable by papermill as well;
- code cells import and call ``workbench`` only: no ``def``/``class``, imports of ``workbench``;
- committed without outputs or execution counts.
"""

from __future__ import annotations

import ast

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from papermill.translators import PythonTranslator
from report_helpers import NOTEBOOKS

from workbench.reports.parameters import SUPPORTED_TYPES, read_parameters

PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
REQUIRED = {"source": "str", "seed": "int", "smoke": "bool"}


def test_there_are_notebooks():
    assert any(p.stem == "00_data_overview" for p in PATHS)


@pytest.fixture(params=PATHS, ids=[p.stem for p in PATHS])
def notebook(request):
    return request.param, nbformat.read(str(request.param), as_version=4)


def test_first_cell_is_a_markdown_title(notebook):
    path, nb = notebook
    first = nb.cells[0]
    assert first.cell_type == "markdown", path.name
    assert first.source.lstrip().startswith("# "), path.name


def test_parameters_cell(notebook):
    path, nb = notebook
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged parameters"
    params = {p.name: p for p in read_parameters(path)}
    for name, typ in REQUIRED.items():
        assert name in params, f"{path.name}: missing parameter {name}"
        assert params[name].type == typ, f"{path.name}: {name} must be {typ}"
    tree = ast.parse(tagged[0].source)
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), \
            f"{path.name} line {node.lineno}: parameters must be typed assignments"
    for p in params.values():
        assert p.type in SUPPORTED_TYPES, f"{path.name}: {p.name}: {p.type!r}"
        assert p.help, f"{path.name}: {p.name} has no comment"
        ok = p.default is not None and type(p.default).__name__ == p.type
        ok = ok or (p.type == "float" and isinstance(p.default, int))
        assert ok, f"{path.name}: {p.name} default {p.default_text} is not a {p.type}"
    # papermill reads the same cell for --help-notebook: it must parse every line too
    assert [q.name for q in PythonTranslator.inspect(tagged[0])] == list(params)


def test_cells_call_workbench_only(notebook):
    path, nb = notebook
    tm = TransformerManager()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(tm.transform_cell(cell.source))
        for node in ast.walk(tree):
            where = f"{path.name} cell {i} line {getattr(node, 'lineno', '?')}"
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef), \
                f"{where}: no def/class in notebooks (put it in workbench)"
            if isinstance(node, ast.Import):
                bad = [a.name for a in node.names if a.name.split(".")[0] != "workbench"]
                assert not bad, f"{where}: imports {bad}; notebooks import workbench only"
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] == "workbench", \
                    f"{where}: imports from {node.module}; notebooks import workbench only"


def test_committed_without_outputs(notebook):
    path, nb = notebook
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"
    assert "widgets" not in nb.metadata, f"{path.name} carries widget state"
