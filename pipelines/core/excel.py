"""Excel workbooks (.xls and .xlsx; core/files.excel_kind tells them by their bytes): read once with calamine,
checked in DuckDB.

Why calamine: one reader for both BIFF (.xls) and Office Open XML (.xlsx), reading cell values only (no
formulas run, no macros). Cells are returned on the sheet's own grid, row 1 and column A included even
where the publisher left them empty, so an error names the row and column a user sees in Excel. A sheet
is read into a list once; its cells are staged as text with their row numbers, and the checks and typing
happen in SQL, like the CSV readers' (pipelines/core/staging.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
from python_calamine import CalamineWorkbook

from pipelines.core.errors import RawFileError
from pipelines.core.sql import quoted, sql_string


class Sheet(NamedTuple):
    name: str
    rows: list[list]  # cell values as calamine gives them; rows[0] is Excel row 1, rows[r][0] column A


def read_workbook(path: Path) -> list[Sheet]:
    """Every sheet of the workbook on its own grid (nothing skipped, so row and column numbers are Excel's)."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return [
            Sheet(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in workbook.sheet_names
        ]
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise RawFileError(path, f"not a readable Excel workbook: {exc}") from exc


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell(rows: list[list], row: int, column: int) -> object:
    """The value at a 0-based position, '' outside the used range."""
    return rows[row][column] if row < len(rows) and column < len(rows[row]) else ""


def cell_text(value: object) -> str | None:
    """A cell as text for staging: numbers in a form DuckDB reads back exactly, empty cells as NULL."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        return repr(value)
    return str(value)


def normalised(value: object) -> str:
    """Case, 'ё' and spacing (line breaks included) do not decide whether a label matches."""
    return re.sub(r"\s+", " ", str(value).replace("ё", "е").replace("Ё", "Е")).strip().casefold()  # noqa: RUF001


def stage_cells(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str], rows: list[tuple]) -> None:
    """Hand rows (column -> DuckDB type) to DuckDB as a temporary table: one registration, no row-by-row inserts."""
    frame = pd.DataFrame(rows, columns=list(columns), dtype="object")
    con.register(f"{table}__frame", frame)
    try:
        casts = ", ".join(f"CAST({quoted(name)} AS {kind}) AS {quoted(name)}" for name, kind in columns.items())
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {casts} FROM {table}__frame")
    finally:
        con.unregister(f"{table}__frame")


def column_letter_sql(index_sql: str) -> str:
    """`column_letter` in DuckDB for 0-based indexes up to 701 (column ZZ)."""
    return (
        f"CASE WHEN {index_sql} < 26 THEN chr(65 + {index_sql}) "
        f"ELSE chr(64 + {index_sql} // 26) || chr(65 + {index_sql} % 26) END"
    )


def refuse_first_cell(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    relation: str,
    condition: str,
    value_sql: str,
    column_index_sql: str,
    message: str,
) -> None:
    """Raise for the first cell of `relation` (with columns sheet_index, sheet, __line) where `condition` holds,
    naming its sheet, row, column letter (from the 0-based `column_index_sql`) and value."""
    hit = con.execute(
        f"SELECT sheet, __line, {column_letter_sql(column_index_sql)}, CAST({value_sql} AS VARCHAR) "
        f"FROM {relation} s WHERE {condition} ORDER BY sheet_index, __line, {column_index_sql} LIMIT 1"
    ).fetchall()
    if hit:
        sheet, line, column, value = hit[0]
        shown = "an empty value" if value is None or not str(value).strip() else repr(value)
        raise RawFileError(path, f"sheet {sheet!r}: {message}: {shown}", row=line, column=column)


def map_labels(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    relation: str,
    label_column: str,
    column_index_sql: str,
    known: dict[str, tuple[str, str]],
    what: str,
) -> str:
    """Map every distinct label of `relation` through `known` (normalised label -> (code, kind), from a seed),
    or refuse the first unknown one with its sheet, row and column. Returns the mapping table (label, code,
    kind): distinct labels are mapped in Python, the join back happens in DuckDB."""
    mapping = []
    for (label,) in con.execute(f"SELECT DISTINCT {quoted(label_column)} FROM {relation}").fetchall():
        if normalised(label) not in known:
            refuse_first_cell(
                con,
                path,
                relation,
                f"s.{quoted(label_column)} IS NOT DISTINCT FROM {sql_string(label) if label is not None else 'NULL'}",
                f"s.{quoted(label_column)}",
                column_index_sql,
                f"unknown {what}",
            )
        mapping.append((label, *known[normalised(label)]))
    table = f"{relation}__labels"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} (label VARCHAR, code VARCHAR, kind VARCHAR)")
    con.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)", mapping)
    return table
