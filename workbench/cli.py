"""The ``workbench`` command.

Each command group lives in its own module and registers itself on the parser:
``workbench.data_cli`` (``data ingest|summary|fetch|synth``) and
``workbench.reports.commands`` (``reports build|list``).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from workbench.exceptions import WorkbenchError

__all__ = ["main", "build_parser"]

COMMAND_GROUPS = ("workbench.data_cli", "workbench.reports.commands",
                  "workbench.forecast.commands", "workbench.api.commands")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench", description="Research workbench for congressional stock-trade disclosures.")
    sub = parser.add_subparsers(dest="group", required=True)
    for name in COMMAND_GROUPS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
