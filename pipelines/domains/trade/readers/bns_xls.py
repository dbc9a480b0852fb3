"""Kazakhstan's Bureau of National Statistics: "main indicators of foreign trade by country" workbooks.

Each table sheet has a title with its period ("за январь-декабрь 2019 года", "за 2022 год", "2023 год"),
the unit "тыс. долларов США" on the line above a two-row header

    Наименование | Товарооборот |          | Экспорт |          | Импорт |
                 | Всего        | удельный вес ..., % | Всего | удельный вес ..., % | Всего | удельный вес ..., %

and then one row per label: the total, groups (CIS, EAEU, Europe, the EU, Asia, ...) and countries, in
thousand US dollars with each partner's share in %. A workbook holds its year and a revised vintage of
the year before (staging keeps the latest vintage); other sheets (cover, contents, notes) hold no
figures. The header is found by reading, and every column is checked against it. Labels map to codes
through the dbt seed bns_partner_labels: an unknown label is refused by name.
"""

# ruff: noqa: RUF002 -- the docstring quotes the publisher's Cyrillic layout as written
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.excel import (
    Sheet,
    cell,
    cell_text,
    column_letter,
    map_labels,
    normalised,
    refuse_first_cell,
    stage_cells,
)
from pipelines.core.seeds import read_seed
from pipelines.core.sql import row_count, sql_string
from pipelines.core.staging import NUMBER_PATTERN
from pipelines.core.tables import ReadResult
from pipelines.domains.trade.schema import KZ_PARTNER_TRADE

TITLE = "показатели внешней торговли"
UNIT = "тыс. долларов сша"
# offset from the label column -> the header's text on its first and second row
HEADER = {1: "товарооборот", 3: "экспорт", 5: "импорт"}
SUBHEADER = {1: "всего", 2: "удельный вес", 3: "всего", 4: "удельный вес", 5: "всего", 6: "удельный вес"}
# raw column -> offset from the label column
VALUES = {
    "turnover_thousand_usd": 1,
    "turnover_share_pct": 2,
    "exports_thousand_usd": 3,
    "exports_share_pct": 4,
    "imports_thousand_usd": 5,
    "imports_share_pct": 6,
}
YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
MONTH = re.compile(r"январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр")
WHOLE_YEAR = re.compile(r"январ\w*\s*-\s*декабр")
PUBLISHED = re.compile(r"дата опубликования:\s*([0-9]{2})\.([0-9]{2})\.([0-9]{4})")
STAGE = "stage_bns"


class TableSheet(NamedTuple):
    index: int  # position among the workbook's sheets
    sheet: Sheet
    header: int  # 0-based row of the header's first line
    label: int  # 0-based column of the labels
    year: int


def looks_like_bns(sheets: list[Sheet]) -> bool:
    """A BNS foreign-trade workbook carries its title on a sheet's first lines."""
    return any(TITLE in normalised(value) for sheet in sheets for row in sheet.rows[:10] for value in row)


@lru_cache(maxsize=1)
def partner_labels() -> dict[str, tuple[str, str]]:
    """Normalised Russian label -> (code, kind), from the dbt seed bns_partner_labels."""
    return {normalised(row["label_ru"]): (row["code"], row["kind"]) for row in read_seed("bns_partner_labels")}


def read_bns_xls(con: duckdb.DuckDBPyConnection, path: Path, sheets: list[Sheet]) -> ReadResult:
    """Stage every table sheet and return a SELECT of raw.kz_partner_trade's row shape."""
    tables = [table for index, sheet in enumerate(sheets) if (table := _table_sheet(path, index, sheet))]
    if not tables:
        raise RawFileError(
            path, "a BNS workbook without a table: no sheet has the header 'Товарооборот | Экспорт | Импорт'", row=1
        )
    _refuse_repeated_years(path, tables)
    _stage(con, path, tables)
    _check_values(con, path)
    mapping = map_labels(
        con,
        path,
        STAGE,
        "label",
        "s.label_col",
        partner_labels(),
        "partner label (not in dbt_project/seeds/bns_partner_labels.csv)",
    )
    _refuse_repeated_partners(con, path, mapping)
    published = _published_on(sheets)
    select = f"""
        SELECT
            'bns_xls' AS source_format,
            'BNS main indicators of foreign trade by country' AS dataset,
            s.sheet,
            s.year,
            {max(t.year for t in tables)} AS vintage_year,
            {f"DATE {sql_string(published.isoformat())}" if published else "CAST(NULL AS DATE)"} AS published_on,
            regexp_replace(trim(s.label), '\\s+', ' ', 'g') AS partner_label_ru,
            m.code AS partner_code,
            m.kind AS partner_kind,
            {", ".join(f"CAST(trim(s.{name}) AS DOUBLE) AS {name}" for name in VALUES)},
            s.__line AS source_line
        FROM {STAGE} s
        JOIN {mapping} m ON m.label = s.label
    """
    return ReadResult(select, rows_read=row_count(con, STAGE), table=KZ_PARTNER_TRADE.name)


def _table_sheet(path: Path, index: int, sheet: Sheet) -> TableSheet | None:
    """The sheet's table layout, or None for a sheet without figures (cover, contents, notes)."""
    header = next((r for r, row in enumerate(sheet.rows) if any(normalised(v) == HEADER[1] for v in row)), None)
    if header is None:
        _refuse_figures_without_header(path, sheet)
        return None
    label = next(c for c, v in enumerate(sheet.rows[header]) if normalised(v) == HEADER[1]) - 1
    if label < 0:
        raise RawFileError(
            path,
            f"sheet {sheet.name!r}: header moved: 'Товарооборот' in column A leaves no column for the partner labels",
            row=header + 1,
            column="A",
        )
    _check_header(path, sheet, header, label)
    _check_unit(path, sheet, header, label)
    return TableSheet(index, sheet, header, label, _sheet_year(path, sheet, header))


def _refuse_figures_without_header(path: Path, sheet: Sheet) -> None:
    """A sheet of numbers without the table header is a table whose header moved or was renamed."""
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                raise RawFileError(
                    path,
                    f"sheet {sheet.name!r}: figures without the table header 'Товарооборот | "
                    "Экспорт | Импорт' above them (the header moved or was renamed)",
                    row=r + 1,
                    column=column_letter(c),
                )


def _check_header(path: Path, sheet: Sheet, header: int, label: int) -> None:
    """Every figure column sits under its header: a moved header would put exports under imports."""
    expected = [(header, offset, text) for offset, text in HEADER.items()]
    expected += [(header + 1, offset, text) for offset, text in SUBHEADER.items()]
    for r, offset, text in expected:
        found = normalised(cell(sheet.rows, r, label + offset))
        if not found.startswith(text):
            raise RawFileError(
                path,
                f"sheet {sheet.name!r}: header moved: expected {text!r} in column "
                f"{column_letter(label + offset)}, found {found or 'an empty cell'!r}",
                row=r + 1,
                column=column_letter(label + offset),
            )


def _check_unit(path: Path, sheet: Sheet, header: int, label: int) -> None:
    """The figures are thousand US dollars: the unit line above the header must say so."""
    for r, row in enumerate(sheet.rows[:header]):
        for c, value in enumerate(row):
            text = normalised(value)
            if "доллар" in text or "тенге" in text:
                if text != UNIT:
                    raise RawFileError(
                        path,
                        f"sheet {sheet.name!r}: unit {str(value).strip()!r} where "
                        "'тыс. долларов США' (thousand US dollars) is expected",
                        row=r + 1,
                        column=column_letter(c),
                    )
                return
    raise RawFileError(
        path,
        f"sheet {sheet.name!r}: missing unit: no 'тыс. долларов США' (thousand US dollars) above the header",
        row=header,
        column=column_letter(label + 4),
    )


def _sheet_year(path: Path, sheet: Sheet, header: int) -> int:
    """The reference year from the title lines: one year, and the whole of it."""
    lines = [
        (r, normalised(v))
        for r, row in enumerate(sheet.rows[:header])
        for v in row
        if isinstance(v, str) and YEAR.search(v)
    ]
    years = {int(y) for _, text in lines for y in YEAR.findall(text)}
    if len(years) != 1:
        raise RawFileError(
            path,
            f"sheet {sheet.name!r}: the title should name one reference year, found {sorted(years) or 'none'}",
            row=lines[0][0] + 1 if lines else 1,
            column="A",
        )
    for r, text in lines:
        if MONTH.search(text) and not WHOLE_YEAR.search(text):
            raise RawFileError(
                path,
                f"sheet {sheet.name!r}: not a whole year ({text!r}); the table holds January-December figures",
                row=r + 1,
                column="A",
            )
    return years.pop()


def _refuse_repeated_years(path: Path, tables: list[TableSheet]) -> None:
    seen: dict[int, str] = {}
    for table in tables:
        if table.year in seen:
            raise RawFileError(
                path,
                f"sheets {seen[table.year]!r} and {table.sheet.name!r} both hold {table.year}",
                row=table.header + 1,
                column=column_letter(table.label),
            )
        seen[table.year] = table.sheet.name


def _stage(con: duckdb.DuckDBPyConnection, path: Path, tables: list[TableSheet]) -> None:
    """One text row per data line of every table sheet (blank lines left out), with its Excel row."""
    columns = {
        "sheet_index": "INTEGER",
        "sheet": "VARCHAR",
        "year": "INTEGER",
        "label_col": "INTEGER",
        "__line": "BIGINT",
        "label": "VARCHAR",
        **dict.fromkeys(VALUES, "VARCHAR"),
    }
    rows = []
    for t in tables:
        for r in range(t.header + 2, len(t.sheet.rows)):
            cells = [cell_text(cell(t.sheet.rows, r, t.label + offset)) for offset in range(7)]
            if any(text is not None for text in cells):
                rows.append((t.index, t.sheet.name, t.year, t.label, r + 1, *cells))
    if not rows:
        raise RawFileError(path, "no partner rows under the header", row=tables[0].header + 3)
    stage_cells(con, STAGE, columns, rows)


def _check_values(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Every row has a label, and every figure is a number (an empty cell: nothing published)."""
    refuse_first_cell(con, path, STAGE, "s.label IS NULL", "s.label", "s.label_col", "figures without a partner label")
    for name, offset in VALUES.items():
        refuse_first_cell(
            con,
            path,
            STAGE,
            f"s.{name} IS NOT NULL AND NOT regexp_full_match(trim(s.{name}), '{NUMBER_PATTERN}')",
            f"s.{name}",
            f"s.label_col + {offset}",
            "not a number",
        )


def _refuse_repeated_partners(con: duckdb.DuckDBPyConnection, path: Path, mapping: str) -> None:
    """A partner listed twice in one sheet (under one label or two spellings) would be counted twice."""
    hit = con.execute(f"""
        SELECT s.sheet, m.code, list(s.__line ORDER BY s.__line), list(s.label ORDER BY s.__line),
               any_value(s.label_col)
        FROM {STAGE} s JOIN {mapping} m ON m.label = s.label
        GROUP BY s.sheet_index, s.sheet, m.code HAVING count(*) > 1
        ORDER BY s.sheet_index, min(s.__line) LIMIT 1""").fetchall()
    if hit:
        sheet, code, lines, labels, label_col = hit[0]
        raise RawFileError(
            path,
            f"sheet {sheet!r}: partner {code} listed twice, on rows {lines[0]} and {lines[1]} "
            f"({labels[0]!r}, {labels[1]!r})",
            row=lines[1],
            column=column_letter(label_col),
        )


def _published_on(sheets: list[Sheet]) -> date | None:
    """The publication date the cover sheet states ('Дата опубликования: 25.07.2024'), if any."""
    for sheet in sheets:
        for row in sheet.rows[:20]:
            for value in row:
                match = PUBLISHED.search(normalised(value))
                if match:
                    day, month, year = map(int, match.groups())
                    return date(year, month, day)
    return None
