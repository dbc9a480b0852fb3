"""The one error type readers raise for bad input: it always names file, row and column."""

from __future__ import annotations

import re


class RawFileError(ValueError):
    """A raw file that cannot be landed. `row` is the 1-based line in the file (header = 1)."""

    def __init__(self, file: str, message: str, *, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.reason = str(file), row, column, message
        where = [self.file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}")


_LINE = re.compile(r"CSV Error on Line: (\d+)")
_COLUMN = re.compile(r'converting column "([^"]+)"|column "?([A-Za-z_][\w ]*)"? ', re.IGNORECASE)


def from_duckdb_error(file: str, exc: Exception) -> RawFileError:
    """DuckDB's reader errors carry the line and column: keep them, drop the sniffer dump."""
    text = str(exc)
    line = _LINE.search(text)
    column = _COLUMN.search(text)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("Original Line")), text)
    detail = [ln.strip() for ln in text.splitlines() if ln.strip().startswith(("Error when", "Could not", "Expected"))]
    message = detail[0] if detail else first
    return RawFileError(
        file,
        message,
        row=int(line.group(1)) if line else None,
        column=(column.group(1) or column.group(2)) if column else None,
    )
