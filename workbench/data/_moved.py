"""Old module paths of the data package, kept importable after the split (issue 13).

``import workbench.data.prices`` still works and gives the very module object now at
``workbench.data.sources.prices`` (so private names and monkeypatching behave as before), with a
:class:`DeprecationWarning` naming the new path. The table is the README's "moved modules"
list; new code imports the new paths.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

MOVED = {
    "workbench.data.fields": "workbench.data.sources.fields",
    "workbench.data.text": "workbench.data.sources.text",
    "workbench.data.trade_rows": "workbench.data.sources.trade_rows",
    "workbench.data.disclosures": "workbench.data.sources.disclosures",
    "workbench.data.prices": "workbench.data.sources.prices",
    "workbench.data.price_formats": "workbench.data.sources.price_formats",
    "workbench.data.factors": "workbench.data.sources.french",
    "workbench.data.options": "workbench.data.sources.option_chains",
    "workbench.data.legislators": "workbench.data.resolution",
    "workbench.data.names": "workbench.data.sources.names",
    "workbench.data.ingest": "workbench.data.store.ingestion",
    "workbench.data.synthetic": "workbench.synthetic.generator",
    "workbench.data.synthetic_market": "workbench.synthetic.market",
    "workbench.data.synthetic_trades": "workbench.synthetic.trades",
    "workbench.data.synthetic_options": "workbench.synthetic.options",
    "workbench.data.truth": "workbench.synthetic.truth",
    "workbench.data.overview": "workbench.overview.summary",
    "workbench.data.coverage": "workbench.overview.coverage",
    "workbench.data.commands": "workbench.data_cli",
}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module):  # the target is already executed
        return None


class MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Resolve an old path of :data:`MOVED` to the module at its new path."""

    def find_spec(self, fullname, path=None, target=None):
        new = MOVED.get(fullname)
        if new is None:
            return None
        warnings.warn(f"{fullname} moved to {new}; the old path is kept for compatibility",
                      DeprecationWarning, stacklevel=2)
        return importlib.util.spec_from_loader(fullname, _AliasLoader(new))


def install() -> None:
    if not any(isinstance(f, MovedModuleFinder) for f in sys.meta_path):
        sys.meta_path.append(MovedModuleFinder())
