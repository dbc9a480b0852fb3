"""What the loader needs from a domain: its raw table's shape, and per file a reader's result."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class RawTable(NamedTuple):
    """A raw table: name in schema `raw`, columns (name -> DuckDB type), key, and the columns a
    reader leaves NULL when it cannot read a value (a row with NULL there is refused)."""

    name: str
    columns: dict[str, str]
    key: tuple[str, ...]
    not_null: tuple[str, ...] = ()


class ReadResult(NamedTuple):
    select: str  # SQL over DuckDB's readers (and any staged tables) yielding the row shape
    rows_read: int | None = None  # data rows read from the file; None: same as rows selected
    # For formats read without line numbers (bulk): finds the lines of a row shape's key, on
    # the error path only, so that a duplicated key can still be reported with its lines.
    locate_lines: Callable[[dict], list[int]] | None = None
