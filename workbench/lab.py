"""The project's notebooks in JupyterLab: saved the way they are committed.

JupyterLab's autosave wrote every output into the tracked notebooks, including the PNG snapshot
that the jupyterlab-plotly renderer adds to each figure output; ``07_networks`` grew from 6 KB
to 1.26 MB and showed as modified in git after a mere look. :func:`pre_save_hook`, configured
by the project's Jupyter config (``jupyter_config/jupyter_server_config.py``, used by
``make lab``), stores a notebook of the project's ``notebooks/`` directory in its committed form:

- code cells without outputs or execution counts;
- cell metadata without what the front end records while a notebook runs (``execution``
  timings, ``collapsed``/``scrolled`` output state, ``trusted``);
- notebook metadata without saved widget state (``widgets``) and with ``language_info``
  reduced to its ``name``: the rest (Python version, lexer, mimetype) is what the running kernel
  reports, and JupyterLab copies it into the notebook as soon as the kernel starts, which is
  why a freshly opened notebook showed as unsaved.

Notebooks elsewhere (a scratch notebook beside the repository) are saved untouched. The
directories are ``notebooks/`` of the checkout, or those listed in ``$WORKBENCH_LAB_STRIP``
(separated by ``os.pathsep``), so a test can point the hook at a temporary copy.

nbformat writes the file (``indent=1``, sorted keys, trailing newline), so a committed notebook
that was opened, run and saved is byte-identical to the one in git.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.config import project_root

__all__ = ["CELL_METADATA_DROPPED", "strip_notebook", "strip_dirs", "pre_save_hook"]

# Written by JupyterLab or classic Notebook while a notebook is used, never by its author.
CELL_METADATA_DROPPED = ("execution", "ExecuteTime", "collapsed", "scrolled", "trusted")
NOTEBOOK_METADATA_DROPPED = ("widgets", "signature")


def strip_notebook(nb: dict) -> dict:
    """Remove outputs, execution counts and run-time metadata from a notebook dict, in place.

    Parameters
    ----------
    nb : dict
        A notebook in nbformat 4 JSON form (``model["content"]`` of a Jupyter save).

    Returns
    -------
    dict
        The same object, for chaining.
    """
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        meta = cell.get("metadata", {})
        for key in CELL_METADATA_DROPPED:
            meta.pop(key, None)
    meta = nb.setdefault("metadata", {})
    for key in NOTEBOOK_METADATA_DROPPED:
        meta.pop(key, None)
    info = meta.get("language_info")
    if isinstance(info, dict) and "name" in info:
        meta["language_info"] = {"name": info["name"]}
    return nb


def strip_dirs() -> list[Path]:
    """Directories whose notebooks :func:`pre_save_hook` strips (resolved paths)."""
    env = os.environ.get("WORKBENCH_LAB_STRIP")
    dirs = [Path(p) for p in env.split(os.pathsep) if p] if env else [
        project_root() / "notebooks"]
    return [d.resolve() for d in dirs]


def _inside(path: Path, dirs: list[Path]) -> bool:
    return any(path == d or d in path.parents for d in dirs)


def pre_save_hook(model: dict, path: str, contents_manager, **kwargs) -> None:
    """Jupyter server pre-save hook: save the project's notebooks in their committed form.

    Configured as ``c.FileContentsManager.pre_save_hook = "workbench.lab.pre_save_hook"``.
    Other files and notebooks outside :func:`strip_dirs` are left as the front end sent them.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    root = Path(getattr(contents_manager, "root_dir", "") or ".")
    target = (root / path.lstrip("/")).resolve()
    if _inside(target, strip_dirs()):
        strip_notebook(model["content"])
