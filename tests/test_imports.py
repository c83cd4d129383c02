"""The package's structure: no import circles, layers import downward only, modules stay small.

Every ``import`` in every module counts, including imports inside functions (a lazy import
still ties the two modules together); only ``if TYPE_CHECKING:`` blocks are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import workbench

ROOT = Path(workbench.__file__).parent
MAX_LINES = 400
# Names resolved lazily by string (registries, compatibility aliases) are not imports.
LOWER_LAYERS = ("workbench.data", "workbench.options", "workbench.metrics", "workbench.config",
                "workbench.exceptions")


def in_package(name: str, packages) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in ast.walk(node):
                if hasattr(sub, "lineno"):
                    skip.add(sub.lineno)
    return skip


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    skip = _type_checking_lines(tree)
    is_pkg = path.name == "__init__.py"
    out = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_pkg else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - node.level + 1]
                base = ".".join(pkg + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


def import_graph() -> nx.DiGraph:
    mods = modules()
    known = set(mods)
    g = nx.DiGraph()
    g.add_nodes_from(known)
    for name, path in mods.items():
        for t in imports_of(name, path, known):
            # importing a package runs its __init__; a module importing its own package's
            # __init__ is the normal parent relation, not a circle
            if name.startswith(t + "."):
                continue
            g.add_edge(name, t)
    return g


def test_graph_sees_known_edges():
    """The walker finds plain, from- and function-level imports (so an empty result means something)."""
    g = import_graph()
    assert g.has_edge("workbench.data.store.ingestion", "workbench.data.store.db")
    assert g.has_edge("workbench.synthetic.options", "workbench.options.bsm")
    assert g.has_edge("workbench.data.sources.readers", "workbench.data.sources.prices")
    assert g.number_of_edges() > 150


def test_no_import_circles():
    g = import_graph()
    cycles = [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]
    assert not cycles, f"import circles: {cycles}"


def test_lower_layers_do_not_import_synthetic():
    g = import_graph()
    bad = [(a, b) for a, b in g.edges
           if in_package(a, LOWER_LAYERS) and in_package(b, ("workbench.synthetic",))]
    assert not bad, f"the data/options layers import the synthetic generator: {bad}"


def test_data_layer_does_not_import_analyses():
    g = import_graph()
    allowed = ("workbench.data", "workbench.config", "workbench.exceptions", "workbench._lazy")
    bad = [(a, b) for a, b in g.edges if in_package(a, ("workbench.data",))
           and not in_package(b, allowed) and b != "workbench"]
    assert not bad, f"workbench.data imports upward: {bad}"


@pytest.mark.parametrize("name", sorted(modules()))
def test_module_size(name):
    n = len(modules()[name].read_text().splitlines())
    assert n <= MAX_LINES, f"{name} has {n} lines (limit {MAX_LINES}): split it by responsibility"


def test_moved_paths_resolve_to_new_modules():
    """Each old path of the split is the very module at its new path, with a warning naming it."""
    import importlib

    from workbench.data._moved import MOVED, MovedModuleFinder

    for old, new in MOVED.items():
        with pytest.warns(DeprecationWarning, match=f"{old} moved to {new}"):
            assert MovedModuleFinder().find_spec(old) is not None
        assert importlib.import_module(old) is importlib.import_module(new)
    assert MovedModuleFinder().find_spec("workbench.data.universe") is None
