"""wiiw FDI Database, CSV export: foreign direct investment by partner or by economic activity.

Header as wiiw exports it: "Tree Level 1","Country-Code","Country","Direction", the breakdown
("Partner-Code","Partner", or "Classification","Digit","Industry/Product"), "Unit","Footnotes",
"Sources", then one column per year named _YYYY; the first year differs between exports (2000 or
2003 here), so the years are read from the header. Text is quoted, numbers are bare ('4.7E-5' too),
and '.' marks a figure wiiw does not publish. Each series comes once per unit: 'EUR m', and
'in % of total' (manufacturing divisions: 'in % of total manufacturing'). The reader puts the units
of a series side by side on one row per year; the 'EUR m' row is required, its share optional.
Partner codes are checked against the seed wiiw_fdi_partners (code and name), so an unknown or
mislabelled partner is refused by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.seeds import read_seed
from pipelines.core.sql import quoted, sql_list, sql_string
from pipelines.core.staging import NUMBER_PATTERN, refuse_first, require_columns, shown, stage_text_csv, text_sql
from pipelines.core.tables import RawTable, ReadResult
from pipelines.domains.finance.schema import DIRECTIONS, FDI_BY_ACTIVITY, FDI_BY_PARTNER

TREE, COUNTRY_CODE, COUNTRY, DIRECTION = "Tree Level 1", "Country-Code", "Country", "Direction"
UNIT, FOOTNOTES, SOURCES = "Unit", "Footnotes", "Sources"
PARTNER_CODE, PARTNER = "Partner-Code", "Partner"
CLASSIFICATION, DIGIT, ACTIVITY = "Classification", "Digit", "Industry/Product"
EUR_MILLION = "EUR m"
NOT_AVAILABLE = "."  # wiiw's mark for a figure it does not publish
NO_FOOTNOTE = "-"
# wiiw's labels without a NACE code in front, and the codes landed for them
UNCODED_ACTIVITIES = {
    "Total by activities": "TOTAL",
    "Other not elsewhere classified activities (A-Q)": "NEC",  # outward FDI, NACE Rev. 1
}
# 'B  Mining and quarrying', 'M-N  Education, ...', 'DD-DE  Wood, ...': the NACE code, two spaces, the name
ACTIVITY_CODE_PATTERN = r"([A-Z]{1,2}(?:-[A-Z]{1,2})?) {2}\S.*"
YEAR_PATTERN = r"_[12][0-9]{3}"
TABLE = "stage_wiiw_fdi"


@dataclass(frozen=True)
class Breakdown:
    """One of wiiw's trees: its label, the columns naming an item, and the units it publishes."""

    tree: str  # wiiw's Tree Level 1
    items: dict[str, str]  # published column -> raw column
    shares: dict[str, str]  # share unit as published -> raw column
    table: RawTable


BY_PARTNER = Breakdown(
    "FDI by partner",
    {PARTNER_CODE: "partner_code", PARTNER: "partner_name"},
    {"in % of total": "share_of_total_pct"},
    FDI_BY_PARTNER,
)
BY_ACTIVITY = Breakdown(
    "FDI by activities",
    {CLASSIFICATION: "classification", DIGIT: "activity_level", ACTIVITY: "activity_label"},
    {"in % of total": "share_of_total_pct", "in % of total manufacturing": "share_of_manufacturing_pct"},
    FDI_BY_ACTIVITY,
)


def wiiw_breakdown(columns: list[str]) -> Breakdown | None:
    """The tree a header belongs to: wiiw's 'Tree Level 1' and the breakdown's own columns."""
    names = set(columns)
    return next((b for b in (BY_PARTNER, BY_ACTIVITY) if {TREE, *b.items} <= names), None)


def read_wiiw_fdi(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str], breakdown: Breakdown) -> ReadResult:
    required = (TREE, COUNTRY_CODE, COUNTRY, DIRECTION, *breakdown.items, UNIT, FOOTNOTES, SOURCES)
    require_columns(path, columns, required)
    years = year_columns(path, columns)
    stage_text_csv(con, path, TABLE)
    check_rows(con, path, breakdown)
    check_one_row_per_series(con, path, breakdown)
    cells = stage_cells(con, path, breakdown, years)
    check_every_share_has_its_amount(con, path, cells, breakdown)
    return ReadResult(fdi_select(cells, breakdown), table=breakdown.table.name)


def year_columns(path: Path, columns: list[str]) -> list[str]:
    """The _YYYY columns; a column named like one but unreadable (_20x5, a repeated _2015) is refused."""
    years = [c for c in columns if c.startswith("_")]
    for name in years:
        if not re.fullmatch(YEAR_PATTERN, name) or years.count(name) > 1:
            raise RawFileError(
                path, f"unreadable year column {name!r} (wiiw names each year once, _YYYY)", row=1, column=name
            )
    if not years:
        raise RawFileError(path, "no year columns (_YYYY) after Sources", row=1, column=SOURCES)
    return years


def check_rows(con, path: Path, breakdown: Breakdown) -> None:
    """Tree, country, direction, unit and breakdown of every line: the first bad one is named."""
    tree, unit = text_sql(TREE), text_sql(UNIT)
    refuse_first(
        con,
        path,
        TABLE,
        f"{tree} IS DISTINCT FROM {sql_string(breakdown.tree)}",
        f"s.{quoted(TREE)}",
        TREE,
        f"not a row of '{breakdown.tree}' (one export holds one breakdown)",
    )
    refuse_first(
        con,
        path,
        TABLE,
        f"NOT regexp_full_match(coalesce({text_sql(COUNTRY_CODE)}, ''), '[A-Z]{{2}}')",
        f"s.{quoted(COUNTRY_CODE)}",
        COUNTRY_CODE,
        "unknown country code (wiiw writes ISO alpha-2)",
    )
    refuse_first(
        con,
        path,
        TABLE,
        f"coalesce({text_sql(DIRECTION)}, '') NOT IN ({sql_list(DIRECTIONS)})",
        f"s.{quoted(DIRECTION)}",
        DIRECTION,
        f"unknown direction (expected one of {', '.join(DIRECTIONS)})",
    )
    refuse_first(
        con,
        path,
        TABLE,
        f"{unit} IS NULL",
        f"s.{quoted(UNIT)}",
        UNIT,
        f"missing unit (wiiw writes '{EUR_MILLION}' or a share such as 'in % of total')",
    )
    units = [EUR_MILLION, *breakdown.shares]
    refuse_first(
        con,
        path,
        TABLE,
        f"{unit} NOT IN ({sql_list(units)})",
        f"s.{quoted(UNIT)}",
        UNIT,
        f"unknown unit (expected one of {', '.join(units)})",
    )
    if breakdown is BY_PARTNER:
        check_partners(con, path)
    else:
        check_activities(con, path)


def check_partners(con, path: Path) -> None:
    """Partner codes known to the seed wiiw_fdi_partners, each under its own name."""
    partners = f"{TABLE}__partners"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {partners} (code VARCHAR, name VARCHAR)")
    con.executemany(
        f"INSERT INTO {partners} VALUES (?, ?)",
        [(row["partner_code"], row["partner_name"]) for row in read_seed("wiiw_fdi_partners")],
    )
    code, name = text_sql(PARTNER_CODE), text_sql(PARTNER)
    refuse_first(
        con,
        path,
        TABLE,
        f"{code} IS NULL OR {code} NOT IN (SELECT code FROM {partners})",
        f"s.{quoted(PARTNER_CODE)}",
        PARTNER_CODE,
        "unknown partner code, not in dbt_project/seeds/wiiw_fdi_partners.csv (add it with wiiw's name)",
    )
    refuse_first(
        con,
        path,
        TABLE,
        f"{name} IS DISTINCT FROM (SELECT p.name FROM {partners} p WHERE p.code = {code})",
        f"{code} || ' named ' || coalesce({name}, '')",
        PARTNER,
        "partner name does not match its code (seed wiiw_fdi_partners)",
    )


def check_activities(con, path: Path) -> None:
    for column in (CLASSIFICATION, DIGIT):
        refuse_first(
            con, path, TABLE, f"{text_sql(column)} IS NULL", f"s.{quoted(column)}", column, f"missing {column.lower()}"
        )
    refuse_first(
        con,
        path,
        TABLE,
        f"({activity_code_sql('s')}) IS NULL",
        f"s.{quoted(ACTIVITY)}",
        ACTIVITY,
        "unreadable activity (expected a NACE code, two spaces and its name, or one of "
        f"{', '.join(repr(label) for label in UNCODED_ACTIVITIES)})",
    )


def activity_code_sql(alias: str) -> str:
    label = text_sql(ACTIVITY, alias)
    uncoded = " ".join(
        f"WHEN {label} = {sql_string(text)} THEN {sql_string(code)}" for text, code in UNCODED_ACTIVITIES.items()
    )
    return (
        f"CASE {uncoded} "
        f"WHEN regexp_full_match({label}, '{ACTIVITY_CODE_PATTERN}') "
        f"THEN regexp_extract({label}, '{ACTIVITY_CODE_PATTERN}', 1) END"
    )


def check_one_row_per_series(con, path: Path, breakdown: Breakdown) -> None:
    """A partner (or activity) listed twice for one direction and unit: refused, both lines named."""
    key = [COUNTRY_CODE, DIRECTION, *breakdown.items, UNIT]
    if breakdown is BY_PARTNER:
        key.remove(PARTNER)  # the code decides; its name was checked against the seed
    columns = ", ".join(f"{text_sql(c)} AS {quoted(c)}" for c in key)
    dup = con.execute(
        f"SELECT {', '.join(quoted(c) for c in key)}, list(__line ORDER BY __line) FROM "
        f"(SELECT __line, {columns} FROM {TABLE} s) GROUP BY ALL HAVING count(*) > 1 ORDER BY min(__line) LIMIT 1"
    ).fetchall()
    if dup:
        *values, lines = dup[0]
        series = ", ".join(v for v in values if v)
        raise RawFileError(
            path,
            f"a series listed twice ({series}) on lines {', '.join(map(str, lines))}",
            row=lines[1],
            column=next(iter(breakdown.items)),
        )


def stage_cells(con, path: Path, breakdown: Breakdown, years: list[str]) -> str:
    """One row per (line, year) with the item, unit and value; a cell that is not a number or '.' is refused."""
    cells = f"{TABLE}__cells"
    items = ", ".join(f"{text_sql(c)} AS {raw}" for c, raw in breakdown.items.items())
    if breakdown is BY_ACTIVITY:
        items += f", {activity_code_sql('s')} AS activity_code"
    lines = (
        f"SELECT __line, {text_sql(COUNTRY_CODE)} AS reporter_code, {_direction_sql()} AS direction, {items}, "
        f"{text_sql(UNIT)} AS unit, nullif({text_sql(FOOTNOTES)}, {sql_string(NO_FOOTNOTE)}) AS footnote, "
        f"{text_sql(SOURCES)} AS source_note, {', '.join(f's.{quoted(y)}' for y in years)} FROM {TABLE} s"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {cells} AS SELECT __line, {', '.join(_series_key(breakdown))}, unit, "
        f"footnote, source_note, year_column, CAST(substr(year_column, 2) AS INTEGER) AS year, cell "
        f"FROM ({lines}) UNPIVOT INCLUDE NULLS (cell FOR year_column IN ({', '.join(quoted(y) for y in years)}))"
    )
    value = "trim(cell)"
    bad = con.execute(
        f"SELECT __line, year_column, cell FROM {cells} WHERE cell IS NULL OR ({value} <> {sql_string(NOT_AVAILABLE)} "
        f"AND NOT regexp_full_match({value}, '{NUMBER_PATTERN}')) ORDER BY __line, year LIMIT 1"
    ).fetchall()
    if bad:
        line, column, cell = bad[0]
        reason = (
            f"an empty cell (wiiw writes '{NOT_AVAILABLE}' where it publishes no figure)"
            if cell is None
            else f"not a number: {shown(cell)}"
        )
        raise RawFileError(path, reason, row=line, column=column)
    return cells


def _direction_sql() -> str:
    cases = " ".join(f"WHEN {sql_string(label)} THEN {sql_string(code)}" for label, code in DIRECTIONS.items())
    return f"CASE {text_sql(DIRECTION)} {cases} END"


def _item_names(breakdown: Breakdown) -> list[str]:
    """The raw columns naming an item (activity_code derived from the label)."""
    names = list(breakdown.items.values())
    return [*names[:2], "activity_code", *names[2:]] if breakdown is BY_ACTIVITY else names


def _series_key(breakdown: Breakdown) -> list[str]:
    return ["reporter_code", "direction", *_item_names(breakdown)]


def check_every_share_has_its_amount(con, path: Path, cells: str, breakdown: Breakdown) -> None:
    """A share row without its 'EUR m' row: the amount is the series, the share only accompanies it."""
    key = " AND ".join(f"e.{c} IS NOT DISTINCT FROM s.{c}" for c in _series_key(breakdown))
    hit = con.execute(
        f"SELECT min(__line) FROM {cells} s WHERE unit <> {sql_string(EUR_MILLION)} AND NOT EXISTS "
        f"(SELECT 1 FROM {cells} e WHERE e.unit = {sql_string(EUR_MILLION)} AND {key})"
    ).fetchall()[0][0]
    if hit is not None:
        raise RawFileError(
            path, f"missing unit: a share row without the '{EUR_MILLION}' row of its series", row=hit, column=UNIT
        )


def _number(alias: str) -> str:
    return f"CASE WHEN trim({alias}.cell) <> {sql_string(NOT_AVAILABLE)} THEN CAST(trim({alias}.cell) AS DOUBLE) END"


def fdi_select(cells: str, breakdown: Breakdown) -> str:
    """The raw row shape: the 'EUR m' cell of each series and year, its shares joined beside it."""
    key = _series_key(breakdown)
    joins, shares, share_lines = [], {}, []
    for number, (unit, column) in enumerate(breakdown.shares.items()):
        alias = f"s{number}"
        on = " AND ".join(f"{alias}.{c} IS NOT DISTINCT FROM e.{c}" for c in [*key, "year"])
        joins.append(f"LEFT JOIN {cells} {alias} ON {alias}.unit = {sql_string(unit)} AND {on}")
        shares[column] = _number(alias)
        share_lines.append(f"{alias}.__line")
    values = {
        "source_format": "'wiiw_fdi_csv'",
        **{c: f"e.{c}" for c in key},
        "year": "e.year",
        "value_eur_million": _number("e"),
        "footnote": "e.footnote",
        "source_note": "e.source_note",
        "source_line": "e.__line",
        **shares,
        "share_source_line": f"coalesce({', '.join(share_lines)})",
    }
    select = ",\n    ".join(f"CAST({values[c]} AS {kind}) AS {c}" for c, kind in breakdown.table.columns.items())
    return f"SELECT\n    {select}\nFROM {cells} e\n" + "\n".join(joins) + f"\nWHERE e.unit = {sql_string(EUR_MILLION)}"
