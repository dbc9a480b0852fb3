"""IMF Direction of Trade Statistics workbooks, one per reporting country, as the IMF data portal exports them.

Two sheets, "Exports, FOB" and "Imports, CIF". Each holds, in one column, a title ("Exports, FOB to
Partner Countries"), the reporter ("Kazakhstan, Rep. of") and the unit ("US Dollars, Millions"); then a
header row of years and one row per partner (IMF names, groups such as "World" and "Euro Area" among
them). The portal leaves row 1 and column A empty and starts the years where the reporter's series
start (1960, 1992, ...): the header row and its years are found by reading, never assumed. A figure
may be text with a trailing " e", the IMF's estimate mark ("0.14 e", "1,234.56 e"): the value is kept
and the mark goes to obs_flag. The portal repeats the first partner row above "World"; a partner listed
twice with the same figures is kept once, with different figures it is refused.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.excel import (
    Sheet,
    cell,
    cell_text,
    column_letter,
    column_letter_sql,
    map_labels,
    normalised,
    refuse_first_cell,
    stage_cells,
)
from pipelines.core.seeds import read_seed
from pipelines.core.sql import row_count, sql_string
from pipelines.core.staging import NUMBER_PATTERN
from pipelines.core.tables import ReadResult
from pipelines.domains.trade.schema import IMF_DOTS_FLOWS

TITLES = {
    "exports, fob to partner countries": ("export", "FOB"),
    "imports, cif from partner countries": ("import", "CIF"),
}
UNIT = "us dollars, millions"
# A plain number, or the IMF's text form with thousands separators; either may carry the estimate mark.
DOTS_NUMBER = rf"(?:{NUMBER_PATTERN}|[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?)(?: e)?"
YEAR_CELL = re.compile(r"(?:19|20)[0-9]{2}(?:\.0)?")
ROWS, CELLS = "stage_dots_rows", "stage_dots_cells"


class FlowSheet(NamedTuple):
    index: int
    sheet: Sheet
    flow: str
    valuation: str
    reporter_name: str
    reporter_row: int  # 0-based row of the reporter's name
    name_col: int  # 0-based column of the partner names (and of the title lines)
    header: int  # 0-based row of the years
    years: dict[int, int]  # 0-based column -> year


def looks_like_dots(sheets: list[Sheet]) -> bool:
    """An IMF DOTS workbook: a sheet titled 'Exports, FOB ...' or 'Imports, CIF ...' on its first lines."""
    return any(normalised(value) in TITLES for sheet in sheets for row in sheet.rows[:10] for value in row)


@lru_cache(maxsize=1)
def partner_names() -> dict[str, tuple[str, str]]:
    """Normalised IMF name -> (code, kind), from the dbt seed imf_dots_partner_names."""
    return {normalised(row["imf_name"]): (row["code"], row["kind"]) for row in read_seed("imf_dots_partner_names")}


def read_imf_dots_xlsx(con: duckdb.DuckDBPyConnection, path: Path, sheets: list[Sheet]) -> ReadResult:
    """Stage both sheets and return a SELECT of raw.imf_dots_flows' row shape (one row per published cell)."""
    flows = [_flow_sheet(path, index, sheet) for index, sheet in enumerate(sheets)]
    _refuse_mixed_sheets(path, flows)
    reporter_code = _reporter_code(path, flows[0])
    _stage(con, path, flows)
    refuse_first_cell(
        con,
        path,
        CELLS,
        f"NOT regexp_full_match(trim(s.cell), '{DOTS_NUMBER}')",
        "s.cell",
        "s.col",
        "not a number (nor an IMF estimate such as '0.14 e')",
    )
    mapping = map_labels(
        con,
        path,
        ROWS,
        "partner_name",
        "s.name_col",
        partner_names(),
        "IMF partner name (not in dbt_project/seeds/imf_dots_partner_names.csv)",
    )
    kept = _lines_kept(con, path, mapping)
    number = "trim(s.cell)"
    select = f"""
        SELECT
            'imf_dots_xlsx' AS source_format,
            'IMF DOTS' AS dataset,
            s.sheet,
            s.reporter_name,
            {sql_string(reporter_code)} AS reporter_code,
            s.partner_name,
            m.code AS partner_code,
            m.kind AS partner_kind,
            s.flow,
            s.valuation,
            s.year,
            CAST(replace(regexp_replace({number}, ' e$', ''), ',', '') AS DOUBLE) AS value_usd_million,
            CASE WHEN ends_with({number}, ' e') THEN 'e' END AS obs_flag,
            s.__line AS source_line,
            {column_letter_sql("s.col")} AS source_column
        FROM {CELLS} s
        JOIN {mapping} m ON m.label = s.partner_name
        SEMI JOIN {kept} k ON k.sheet_index = s.sheet_index AND k.__line = s.__line
    """
    return ReadResult(select, rows_read=row_count(con, CELLS), table=IMF_DOTS_FLOWS.name)


def _flow_sheet(path: Path, index: int, sheet: Sheet) -> FlowSheet:
    """The sheet's layout: the header row of years, found by reading, and the title lines above it."""
    found = _year_header(sheet.rows)
    if found is None:
        raise RawFileError(
            path,
            f"sheet {sheet.name!r}: no header row of years (a row whose cells are all "
            "years, with the partner-name column empty)",
            row=1,
            column="A",
        )
    header, first = found
    name_col = first - 1
    lines = [
        (r, str(cell(sheet.rows, r, name_col)).strip())
        for r in range(header)
        if str(cell(sheet.rows, r, name_col)).strip()
    ]
    letter = column_letter(name_col)
    if not lines or normalised(lines[0][1]) not in TITLES:
        raise RawFileError(
            path,
            f"sheet {sheet.name!r}: title {lines[0][1] if lines else ''!r} is not "
            "'Exports, FOB to Partner Countries' nor 'Imports, CIF from Partner Countries'",
            row=lines[0][0] + 1 if lines else 1,
            column=letter,
        )
    if len(lines) < 2:
        raise RawFileError(
            path, f"sheet {sheet.name!r}: no reporting country under the title", row=lines[0][0] + 2, column=letter
        )
    if len(lines) < 3 or normalised(lines[2][1]) != UNIT:
        shown = repr(lines[2][1]) if len(lines) > 2 else "nothing"
        raise RawFileError(
            path,
            f"sheet {sheet.name!r}: missing unit: 'US Dollars, Millions' expected under the "
            f"reporting country, found {shown}",
            row=(lines[2][0] if len(lines) > 2 else lines[1][0] + 1) + 1,
            column=letter,
        )
    flow, valuation = TITLES[normalised(lines[0][1])]
    years = {c: int(float(str(v))) for c, v in enumerate(sheet.rows[header]) if c > name_col and str(v).strip()}
    return FlowSheet(index, sheet, flow, valuation, lines[1][1], lines[1][0], name_col, header, years)


def _year_header(rows: list[list]) -> tuple[int, int] | None:
    """(row, first year column) of the first row whose filled cells are all years, in increasing order,
    with no gap, and with an empty cell on their left (the partner-name column)."""
    for r, row in enumerate(rows):
        filled = [c for c, v in enumerate(row) if str(v).strip()]
        if not filled or filled[0] == 0 or filled != list(range(filled[0], filled[-1] + 1)):
            continue
        texts = [str(row[c]).strip() for c in filled]
        if all(YEAR_CELL.fullmatch(t) for t in texts):
            years = [int(float(t)) for t in texts]
            if all(a < b for a, b in pairwise(years)):
                return r, filled[0]
    return None


def _refuse_mixed_sheets(path: Path, flows: list[FlowSheet]) -> None:
    """One reporter per workbook, one sheet per flow."""
    seen: dict[str, str] = {}
    for f in flows:
        if normalised(f.reporter_name) != normalised(flows[0].reporter_name):
            raise RawFileError(
                path,
                f"sheet {f.sheet.name!r}: reporter {f.reporter_name!r} differs from "
                f"{flows[0].reporter_name!r} on sheet {flows[0].sheet.name!r}",
                row=f.reporter_row + 1,
                column=column_letter(f.name_col),
            )
        if f.flow in seen:
            raise RawFileError(
                path,
                f"sheets {seen[f.flow]!r} and {f.sheet.name!r} both hold {f.flow}s",
                row=1,
                column=column_letter(f.name_col),
            )
        seen[f.flow] = f.sheet.name


def _reporter_code(path: Path, flow: FlowSheet) -> str:
    code, kind = partner_names().get(normalised(flow.reporter_name), (None, None))
    if code is None or kind == "total":
        raise RawFileError(
            path,
            f"sheet {flow.sheet.name!r}: unknown IMF reporter name {flow.reporter_name!r} "
            "(not a country of dbt_project/seeds/imf_dots_partner_names.csv)",
            row=flow.reporter_row + 1,
            column=column_letter(flow.name_col),
        )
    return code


def _stage(con: duckdb.DuckDBPyConnection, path: Path, flows: list[FlowSheet]) -> None:
    """Partner rows per sheet (name, Excel row, the row's cells as one text for comparing repeats) and,
    unpivoted in DuckDB, one row per filled cell with its year and column."""
    rows_columns = {
        "sheet_index": "INTEGER",
        "sheet": "VARCHAR",
        "name_col": "INTEGER",
        "__line": "BIGINT",
        "partner_name": "VARCHAR",
        "cells": "VARCHAR",
    }
    names = []
    cells_sql = []
    for f in flows:
        wide_columns = {
            "sheet_index": "INTEGER",
            "__line": "BIGINT",
            **{f"{year}:{col}": "VARCHAR" for col, year in f.years.items()},
        }
        wide = []
        for r in range(f.header + 1, len(f.sheet.rows)):
            name = cell_text(cell(f.sheet.rows, r, f.name_col))
            texts = [cell_text(cell(f.sheet.rows, r, col)) for col in f.years]
            if name is None and all(t is None for t in texts):
                continue
            names.append((f.index, f.sheet.name, f.name_col, r + 1, name, "\x1f".join(t or "" for t in texts)))
            wide.append((f.index, r + 1, *texts))
        table = f"stage_dots_wide_{f.index}"
        stage_cells(con, table, wide_columns, wide)
        cells_sql.append(f"""
            SELECT w.sheet_index, w.__line, CAST(split_part(w.name, ':', 1) AS INTEGER) AS year,
                   CAST(split_part(w.name, ':', 2) AS INTEGER) AS col, w.cell,
                   {sql_string(f.sheet.name)} AS sheet, {sql_string(f.flow)} AS flow,
                   {sql_string(f.valuation)} AS valuation, {sql_string(f.reporter_name)} AS reporter_name
            FROM (UNPIVOT {table} ON COLUMNS(* EXCLUDE (sheet_index, __line)) INTO NAME name VALUE cell) w""")
    if not names:
        raise RawFileError(path, "no partner rows under the header of years", row=flows[0].header + 2)
    stage_cells(con, ROWS, rows_columns, names)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {CELLS} AS
        SELECT c.*, r.partner_name FROM ({" UNION ALL ".join(cells_sql)}) c
        JOIN {ROWS} r USING (sheet_index, __line)""")
    refuse_first_cell(
        con, path, ROWS, "s.partner_name IS NULL", "s.partner_name", "s.name_col", "figures without a partner name"
    )


def _lines_kept(con: duckdb.DuckDBPyConnection, path: Path, mapping: str) -> str:
    """The first row of each partner per sheet; a repeat must carry the same figures, or it is refused."""
    hit = con.execute(f"""
        SELECT r.sheet, m.code, list(r.__line ORDER BY r.__line), any_value(r.name_col)
        FROM {ROWS} r JOIN {mapping} m ON m.label = r.partner_name
        GROUP BY r.sheet_index, r.sheet, m.code HAVING count(DISTINCT r.cells) > 1
        ORDER BY r.sheet_index, min(r.__line) LIMIT 1""").fetchall()
    if hit:
        sheet, code, lines, name_col = hit[0]
        raise RawFileError(
            path,
            f"sheet {sheet!r}: partner {code} listed twice with different figures, on rows "
            f"{', '.join(map(str, lines))}",
            row=lines[1],
            column=column_letter(name_col),
        )
    table = f"{ROWS}__kept"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT r.sheet_index, min(r.__line) AS __line
        FROM {ROWS} r JOIN {mapping} m ON m.label = r.partner_name
        GROUP BY r.sheet_index, m.code""")
    return table
