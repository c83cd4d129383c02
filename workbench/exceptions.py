"""Exception hierarchy of the workbench.

Every error the package raises on purpose derives from :class:`WorkbenchError`, so callers
(the CLI, the report runner) can tell a reasoned failure from a bug.
"""

from __future__ import annotations

__all__ = ["WorkbenchError", "DataError", "StoreError", "FetchError", "ReportError", "NotFittedError"]


class WorkbenchError(Exception):
    """Base class of every error raised on purpose by the workbench."""


class DataError(WorkbenchError, ValueError):
    """Input data that cannot be read or trusted.

    Carries the file, the row (1-based record number inside the file; for JSON the index of the
    record, for CSV the data line) and the reason, so that a user can find and fix the record.
    """

    def __init__(self, reason: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None):
        self.reason = reason
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        where = []
        if self.file is not None:
            where.append(self.file)
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {reason}" if prefix else reason)


class StoreError(WorkbenchError):
    """The DuckDB store is missing, locked or not a workbench store."""


class FetchError(WorkbenchError):
    """A download from a public source failed (network, status, checksum)."""


class ReportError(WorkbenchError):
    """A notebook could not be executed or published."""


class NotFittedError(WorkbenchError, AttributeError):
    """An estimator was used before ``fit``."""
