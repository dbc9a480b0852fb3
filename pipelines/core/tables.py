"""What the loader needs from a domain: its raw table's shape, and per file a reader's result."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class RawTable(NamedTuple):
    """A raw table: name in schema `raw`, columns (name -> DuckDB type), key, and the columns a
    reader leaves NULL when it cannot read a value (a row with NULL there is refused).

    `companions` are further raw tables the same files feed (e.g. GDELT's per-day totals, read
    from the whole file while only Kazakhstan's events are kept): they land and leave together.
    """

    name: str
    columns: dict[str, str]
    key: tuple[str, ...]
    not_null: tuple[str, ...] = ()
    # the `source_format` values its readers write: the suites' allowed set and the docs list these
    formats: tuple[str, ...] = ()
    # False where a file may hold no row of interest (a GDELT batch without Kazakhstan): landed, empty
    rows_required: bool = True
    companions: tuple[RawTable, ...] = ()
    # who publishes the rows and under which dataset codes: tags in the UI (short, lowercase names)
    publishers: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()


class ReadResult(NamedTuple):
    select: str  # SQL over DuckDB's readers (and any staged tables) yielding the row shape
    rows_read: int | None = None  # data rows read from the file; None: same as rows selected
    # For formats read without line numbers (bulk): finds the lines of a row shape's key, on
    # the error path only, so that a duplicated key can still be reported with its lines.
    locate_lines: Callable[[dict], list[int]] | None = None
    # companion raw table name -> SELECT yielding its row shape (see RawTable.companions)
    companions: dict[str, str] | None = None
    # the raw table `select` lands in, where a folder feeds several (RawSource.other_tables);
    # None: the folder's main table
    table: str | None = None
