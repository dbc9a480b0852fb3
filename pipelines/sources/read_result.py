"""What a reader hands the loader: a SELECT of the domain's row shape, and how many rows it read."""

from __future__ import annotations

from typing import NamedTuple


class ReadResult(NamedTuple):
    select: str  # SQL over DuckDB's readers (and any staged tables) yielding the row shape
    rows_read: int | None = None  # data rows read from the file; None: same as rows selected
