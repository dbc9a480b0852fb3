"""The frames a suite runs on for one file too large to load whole into pandas.

A whole Comext month with every partner is 15M rows: as one pandas batch its suite took 205 s and
17.7 GiB (measured, benchmarks/README.md#a-site-with-years-of-whole-comext-months). Most expectations
are decided by a column's set of values, not by its rows: a value is in a set, matches a regex, is
not null, has a type, or lies between bounds (for which the column's extremes decide). Those run on
the file's *value frame*: each column's distinct values (or its minimum, maximum and a NULL if it
has one), padded to one length by repeating them, which changes no such verdict. The others
(uniqueness, row counts, proportions, any `mostly`, column pairs) need the file's rows: they run on
a frame of only the columns they read and the locator columns, where a column read only for
uniqueness or to locate a row is fetched as a categorical (DuckDB's ENUM): 2 bytes a row, not a
Python string. When an expectation fails on the value frame, its unexpected count and sample rows
come from its rerun over the file's rows, streamed in chunks (`row_chunks`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from pipelines.core.sql import quoted, sql_string

# Decided by the set of a column's values (or its extremes), whatever their number of rows.
DECIDED_BY_VALUES = frozenset(
    {
        "ExpectColumnValuesToNotBeNull",
        "ExpectColumnValuesToBeInSet",
        "ExpectColumnValuesToMatchRegex",
        "ExpectColumnValuesToBeBetween",
        "ExpectColumnValuesToBeOfType",
        "ExpectTableColumnsToMatchOrderedList",
    }
)
# Those that need each distinct value; the others need only the extremes and whether NULL occurs.
NEEDS_DISTINCT = frozenset({"ExpectColumnValuesToBeInSet", "ExpectColumnValuesToMatchRegex"})
# Those for which a column may be a categorical: only equality of values matters.
EQUALITY_ONLY = frozenset({"ExpectCompoundColumnsToBeUnique", "ExpectColumnValuesToBeUnique"})


def decided_by_values(class_name: str, kwargs: dict) -> bool:
    return class_name in DECIDED_BY_VALUES and "mostly" not in kwargs


def _distinct_columns(expectations: list[tuple[str, dict]]) -> set[str]:
    """The columns whose every distinct value some expectation needs (a set, a regex)."""
    return {kwargs["column"] for name, kwargs in expectations if name in NEEDS_DISTINCT}


def _columns(con, table: str) -> list[tuple[str, str]]:
    schema, name = table.split(".")
    return [
        (c, t)
        for c, t in con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
            "ORDER BY column_index",
            [schema, name],
        ).fetchall()
    ]


def value_frame(con, table: str, file: str, expectations: list[tuple[str, dict]]) -> pd.DataFrame:
    """Every column of `table` in order, each holding the file's distinct values where an expectation
    needs them, else its minimum and maximum, plus one NULL where the file has one; shorter columns
    repeat their values up to the longest."""
    distinct = _distinct_columns(expectations)
    columns = _columns(con, table)
    lists = []
    for column, data_type in columns:
        q = quoted(column)
        values = f"list(DISTINCT {q})" if column in distinct else f"[min({q}), max({q})]"
        null = f"CASE WHEN bool_or({q} IS NULL) THEN [NULL::{data_type}] ELSE []::{data_type}[] END"
        lists.append(f"list_concat({values}, {null}) AS {q}")
    longest = "greatest(" + ", ".join(f"len({quoted(c)})" for c, _ in columns) + ")"
    picks = ", ".join(f"v.{quoted(c)}[1 + n.i % len(v.{quoted(c)})] AS {quoted(c)}" for c, _ in columns)
    return con.execute(
        f"WITH v AS MATERIALIZED (SELECT {', '.join(lists)} FROM {table} WHERE _source_file = ?), "
        f"n AS (SELECT unnest(range({longest})) AS i FROM v) "
        f"SELECT {picks} FROM v, n ORDER BY n.i",
        [file],
    ).df()


def value_frame_rows(con, table: str, file: str, expectations: list[tuple[str, dict]]) -> int:
    """How long `value_frame` would be, without building it (a column of unique values makes it the file)."""
    distinct = _distinct_columns(expectations)
    columns = [c for c, _ in _columns(con, table) if c in distinct]
    if not columns:
        return 3
    counts = ", ".join(f"count(DISTINCT {quoted(c)}) + 1" for c in columns)
    return int(con.execute(f"SELECT greatest({counts}) FROM {table} WHERE _source_file = ?", [file]).fetchone()[0])


def rows_frame(con, table: str, file: str, expectations: list[tuple[str, dict]], locator: list[str]) -> pd.DataFrame:
    """The file's rows, only the columns `expectations` read and the locator columns; a column read only
    for uniqueness or to locate a row comes as a categorical."""
    read_as_values: set[str] = set()
    read_for_equality: set[str] = set()
    for name, kwargs in expectations:
        target = read_for_equality if name in EQUALITY_ONLY else read_as_values
        target.update(columns_read(kwargs))
    wanted = read_as_values | read_for_equality | set(locator)
    picks, types = [], []
    for i, (column, data_type) in enumerate(_columns(con, table)):
        if column not in wanted:
            continue
        q = quoted(column)
        if data_type == "VARCHAR" and column not in read_as_values:
            enum = f"kzeu_suite_enum_{i}"
            con.execute(f"DROP TYPE IF EXISTS temp.{enum}")
            con.execute(
                f"CREATE TEMP TYPE {enum} AS ENUM "
                f"(SELECT DISTINCT {q} FROM {table} WHERE _source_file = {sql_string(file)} AND {q} IS NOT NULL)"
            )
            types.append(enum)
            picks.append(f"{q}::{enum} AS {q}")
        else:
            picks.append(q)
    try:
        return con.execute(f"SELECT {', '.join(picks)} FROM {table} WHERE _source_file = ?", [file]).df()
    finally:
        for enum in types:
            con.execute(f"DROP TYPE IF EXISTS temp.{enum}")


def row_chunks(con, table: str, file: str, rows: int) -> Iterator[pd.DataFrame]:
    """The file's rows, every column, `rows` at a time (streamed: one chunk in memory at a time)."""
    con.execute(f"SELECT * FROM {table} WHERE _source_file = ?", [file])
    while len(chunk := con.fetch_df_chunk(max(1, rows // 2048))):
        yield chunk


def columns_read(kwargs: dict) -> list[str]:
    """The columns an expectation reads: none for a table-level one (a row count)."""
    return [kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k)] + list(
        kwargs.get("column_list") or []
    )
