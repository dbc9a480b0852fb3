"""What a domain hands the shared machinery: its raw folders, their tables, readers, suites and downloads.

A domain package (pipelines/domains/<name>/) builds one `Domain`; the registry
(pipelines/domains/__init__.py) lists them, and the Dagster glue, the sensor, `kzeu status` and
the tests iterate it. Adding a domain is one package and one registry line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

import duckdb

from pipelines.core.tables import RawTable, ReadResult
from pipelines.settings import Settings

Reader = Callable[[duckdb.DuckDBPyConnection, Path], ReadResult]
ROWS_PER_FORMAT_SQL = "SELECT source_format, count(*) AS rows FROM {table} GROUP BY 1 ORDER BY 1"


@dataclass(frozen=True)
class Suite:
    """An expectation suite over one raw table, as plain data (Great Expectations loads only when it runs)."""

    expectations: Callable[[datetime], list[tuple[str, dict]]]  # today -> (GE class name, kwargs)
    row_locator: tuple[str, ...]  # columns that locate a failing row in its file
    description: str


@dataclass(frozen=True)
class Download:
    """A partitioned download from a publisher into the raw folder (pipelines/connectors)."""

    name: str  # asset key ["download", name]
    cadence: Literal["monthly", "daily"]  # the publisher's release rhythm, and so the partitions
    fetch: Callable[[Settings, str], list]  # (settings, "YYYY-MM" or "YYYY-MM-DD") -> DownloadResults
    description: str


@dataclass(frozen=True)
class RawSource:
    """raw/<folder>: its files land in `table` (and its companions) or one of `other_tables`, one
    transaction a folder."""

    folder: str
    table: RawTable
    reader: Callable[[Settings], Reader]  # settings -> the loader's reader
    suites: Mapping[str, Suite]  # raw table name -> its blocking suite (one per landed table)
    description: str
    summary_sql: str  # a per-table summary for the UI; {table} is substituted
    downloads: tuple[Download, ...] = ()
    # further shapes the folder holds (another publisher's files): a reader routes a file to one of
    # them with ReadResult.table; each has its own suite
    other_tables: tuple[RawTable, ...] = ()
    # their UI summaries (their columns differ from the main table's): raw table name -> SQL
    other_summaries: Mapping[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> tuple[RawTable, ...]:
        """Every raw table the folder's files land in, companions included."""
        return tuple(t for each in (self.table, *self.other_tables) for t in (each, *each.companions))

    def summary_for(self, table: str) -> str:
        """The UI summary of one of the folder's tables: summary_sql fits the main table and its companions."""
        if table in {t.name for t in (self.table, *self.table.companions)}:
            return self.summary_sql
        return self.other_summaries.get(table, ROWS_PER_FORMAT_SQL)


@dataclass(frozen=True)
class Domain:
    name: str  # also the Dagster asset group
    sources: tuple[RawSource, ...] = field(default_factory=tuple)
