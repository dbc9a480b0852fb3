"""Typed-cell steps every reader shares, in SQL over a file staged as text.

A file is staged once by DuckDB as text, with `__line`, its line in the file (header = 1). Checks
name the first bad line and column; coded columns map their *distinct* values in Python and join
back in DuckDB; values become typed in one SELECT. No Python loop ever walks the rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError, from_duckdb_error
from pipelines.core.files import compression_of, first_line
from pipelines.core.sql import quoted, row_count, sql_list, sql_string


def stage_text_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, delim: str = ",", quote: str = '"') -> None:
    """Stage every column as text, with `__line`, the line in the file (header = 1).

    The header is read here and handed to DuckDB as the columns, with no sniffing: a sniffer would
    take a longer bad row for the header, or give up, and the bad row would go unnamed.
    """
    columns = _header_names(path, delim, quote)
    declared = ", ".join(f"{sql_string(name)}: 'VARCHAR'" for name in columns)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table}__text AS SELECT * FROM read_csv({sql_string(path)}, "
            f"header = true, auto_detect = false, columns = {{{declared}}}, delim = {sql_string(delim)}, "
            f"quote = {sql_string(quote)}, escape = {sql_string(quote)}, "
            f"compression = {sql_string(compression_of(path))}, strict_mode = true)"
        )
    except duckdb.Error as exc:
        raise from_duckdb_error(path, exc) from exc
    # Insertion keeps file order, so rowid counts lines (offset inside a transaction).
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS "
        f"SELECT rowid - (SELECT min(rowid) FROM {table}__text) + 2 AS __line, * FROM {table}__text ORDER BY rowid"
    )
    con.execute(f"DROP TABLE {table}__text")
    if row_count(con, table) == 0:
        raise RawFileError(path, "no data rows under the header", row=2)


def _header_names(path: Path, delim: str, quote: str) -> list[str]:
    """The header's column names as written; an empty or repeated name is refused (DuckDB needs them unique)."""
    reader = csv.reader(
        io.StringIO(first_line(path)),
        delimiter=delim,
        quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
        quotechar=quote or None,
    )
    names = [name.strip() for name in next(reader)]  # as the sniffer did: "2022 " is the column 2022
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name.strip():
            raise RawFileError(path, f"header column {position} has no name", row=1)
        if name.lower() in seen:
            raise RawFileError(path, f"the header names {name!r} twice", row=1, column=name)
        seen.add(name.lower())
    return names


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


def require_columns(path: Path, columns: list[str], required: tuple[str, ...]) -> None:
    present = {c.upper() for c in columns}
    missing = [c for c in required if c.upper() not in present]
    if missing:
        raise RawFileError(
            path, f"missing column(s) {', '.join(missing)}; header is {', '.join(columns)}", row=1, column=missing[0]
        )


# A plain decimal number as publishers write it: no thousands separators, no NaN or inf.
NUMBER_PATTERN = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
NOT_AVAILABLE = ":"  # Eurostat's mark for "not available"
MISSING_MARKS = ("", NOT_AVAILABLE)


def shown(value: object) -> str:
    return "an empty value" if value is None or not str(value).strip() else repr(value)


def refuse_first(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    condition: str,
    value_sql: str,
    column: str | None,
    message: str,
) -> None:
    """Raise for the first line of `table` (aliased `s`) where `condition` holds, naming its value."""
    hit = con.execute(
        f"SELECT __line, CAST({value_sql} AS VARCHAR) FROM {table} s WHERE {condition} ORDER BY __line LIMIT 1"
    ).fetchall()
    if hit:
        raise RawFileError(path, f"{message}: {shown(hit[0][1])}", row=hit[0][0], column=column)


def text_sql(column: str, alias: str = "s") -> str:
    """A cell as text, trimmed, NULL when empty."""
    return f"nullif(trim({alias}.{quoted(column)}), '')"


def code_part_sql(column: str, alias: str = "s") -> str:
    """SDMX-CSV with labels writes 'KZ:Kazakhstan': the code is before the colon."""
    return f"nullif(trim(split_part({alias}.{quoted(column)}, ':', 1)), '')"


def check_numbers(con, path: Path, table: str, column: str, missing=MISSING_MARKS) -> None:
    """Every cell is a plain number or a not-available mark; else the first bad line is named."""
    value = f"trim(s.{quoted(column)})"
    refuse_first(
        con,
        path,
        table,
        f"{value} NOT IN ({sql_list(missing)}) AND NOT regexp_full_match({value}, '{NUMBER_PATTERN}')",
        f"s.{quoted(column)}",
        column,
        "not a number",
    )


def number_sql(column: str, alias: str = "s") -> str:
    """The value as DOUBLE; NULL where nothing is published (empty or ':'), never a zero."""
    value = f"trim({alias}.{quoted(column)})"
    return f"CASE WHEN regexp_full_match({value}, '{NUMBER_PATTERN}') THEN CAST({value} AS DOUBLE) END"


def check_codes(con, path: Path, table: str, column: str, code_sql: str, what: str, pattern: str) -> None:
    """Every cell holds a code matching `pattern`, not a label or nothing."""
    refuse_first(
        con,
        path,
        table,
        f"{code_sql} IS NULL OR NOT regexp_full_match({code_sql}, '{pattern}')",
        f"s.{quoted(column)}",
        column,
        f"unknown {what} code",
    )


def check_unique_key(
    con,
    path: Path,
    relation: str,
    key: list[str] | tuple[str, ...],
    line_column: str = "__line",
    column: str | None = None,
) -> None:
    """One row per key in a staged table or a SELECT: a repeat is reported with its lines."""
    cols = ", ".join(quoted(c) for c in key)
    dup = con.execute(
        f"SELECT {cols}, list({line_column} ORDER BY {line_column}) FROM {relation} "
        f"GROUP BY ALL HAVING count(*) > 1 ORDER BY min({line_column}) LIMIT 1"
    ).fetchall()
    if dup:
        *values, lines = dup[0]
        shown_key = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
        raise RawFileError(
            path,
            f"duplicated key ({shown_key}) on lines {', '.join(map(str, lines))}",
            row=lines[1],
            column=column or key[0],
        )
