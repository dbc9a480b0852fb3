"""What a reader hands the loader: a SELECT of the domain's row shape, and how many rows it read."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class ReadResult(NamedTuple):
    select: str  # SQL over DuckDB's readers (and any staged tables) yielding the row shape
    rows_read: int | None = None  # data rows read from the file; None: same as rows selected
    # For formats read without line numbers (bulk): finds the lines of a row shape's key, on
    # the error path only, so that a duplicated key can still be reported with its lines.
    locate_lines: Callable[[dict], list[int]] | None = None
