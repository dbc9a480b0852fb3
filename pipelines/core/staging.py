"""Shared steps for the small, label-based CSV formats (Easy Comext, SDMX-CSV).

The file is staged once by DuckDB as text (with its line numbers), each coded column's *distinct* values are mapped in Python, and the mapping is
joined back in DuckDB: no Python loop ever walks the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError, from_duckdb_error
from pipelines.core.files import compression_of
from pipelines.core.sql import quoted, sql_string



def stage_text_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, delim: str = ",", quote: str = '"') -> None:
    """Stage every column as text, with `__line`, the line in the file (header = 1)."""
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table}__text AS SELECT * FROM read_csv({sql_string(path)}, "
            f"header = true, all_varchar = true, delim = {sql_string(delim)}, quote = {sql_string(quote)}, "
            f"compression = {sql_string(compression_of(path))}, strict_mode = true)"
        )
    except duckdb.Error as exc:
        raise from_duckdb_error(path, exc) from exc
    # Insertion keeps file order, so rowid counts lines (offset inside a transaction).
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT rowid - (SELECT min(rowid) FROM {table}__text) + 2 AS __line, * "
        f"FROM {table}__text ORDER BY rowid"
    )
    con.execute(f"DROP TABLE {table}__text")
    if con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] == 0:
        raise RawFileError(path, "no data rows under the header", row=2)


def map_column(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    column: str,
    mapper: Callable[..., str | None],
    what: str,
    context_sql: str = "NULL",
) -> str:
    """Map the distinct values of `column` (with an optional context, e.g. the label language)
    to codes; returns the name of the mapping table (label, context, code).

    The first value nobody can map is reported with its line.
    """
    pairs = con.execute(f"SELECT DISTINCT {quoted(column)}, {context_sql} FROM {table} s").fetchall()
    mapping = []
    for value, context in pairs:
        code = (mapper(value, context) if context is not None else mapper(value)) if value and value.strip() else None
        if code is None:
            line = con.execute(
                f"SELECT min(__line) FROM {table} WHERE {quoted(column)} IS NOT DISTINCT FROM ?", [value]
            ).fetchall()[0][0]
            shown = "an empty value" if not value or not value.strip() else repr(value)
            raise RawFileError(path, f"unknown {what}: {shown}", row=line, column=column)
        mapping.append((value, context, code))
    mapping_table = f"{table}__{column.lower().replace(' ', '_')}_codes"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {mapping_table} (label VARCHAR, context VARCHAR, code VARCHAR)")
    con.executemany(f"INSERT INTO {mapping_table} VALUES (?, ?, ?)", mapping)
    return mapping_table


def check_numeric(con, path: Path, table: str, column: str, missing=("", ":")) -> None:
    """Every value is a number or a not-available marker; else name the first bad line."""
    bad = con.execute(
        f"SELECT __line, {quoted(column)} FROM {table} "
        f"WHERE {quoted(column)} IS NOT NULL AND trim({quoted(column)}) NOT IN ({', '.join(sql_string(m) for m in missing)}) "
        f"AND TRY_CAST(trim({quoted(column)}) AS DOUBLE) IS NULL ORDER BY __line LIMIT 1"
    ).fetchall()
    bad = bad[0] if bad else None
    if bad:
        raise RawFileError(path, f"not a number: {bad[1]!r}", row=bad[0], column=column)


def numeric_sql(column: str, alias: str = "s", missing=("", ":")) -> str:
    """The value as DOUBLE, NULL for the not-available markers."""
    col = f"trim({alias}.{quoted(column)})"
    return f"CASE WHEN {col} IS NULL OR {col} IN ({', '.join(sql_string(m) for m in missing)}) THEN NULL ELSE CAST({col} AS DOUBLE) END"


def require_columns(path: Path, columns: list[str], required: tuple[str, ...]) -> None:
    present = {c.upper() for c in columns}
    missing = [c for c in required if c.upper() not in present]
    if missing:
        raise RawFileError(path, f"missing column(s) {', '.join(missing)}; header is {', '.join(columns)}", row=1, column=missing[0])


def check_no_duplicates(con, path: Path, table: str, columns: list[str]) -> None:
    """One row per key: a repeated key is reported with both lines."""
    cols = ", ".join(quoted(c) for c in columns)
    dup = con.execute(
        f"SELECT list(__line ORDER BY __line) FROM {table} GROUP BY {cols} HAVING count(*) > 1 ORDER BY min(__line) LIMIT 1"
    ).fetchall()
    dup = dup[0] if dup else None
    if dup:
        lines = dup[0]
        raise RawFileError(path, f"duplicated key ({', '.join(columns)}): lines {', '.join(map(str, lines))}", row=lines[1], column=columns[0])
