"""Steps every energy reader shares, in SQL over a staged file: checks that name the first bad
line, Eurostat periods, the row shape as one SELECT, and one row per key.

Staged tables carry `__line`, the line in the file (header = 1); no step loops over rows in Python.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.geo import unknown_eurostat_geo_sql
from pipelines.domains.energy.codes import CODE_PATTERN
from pipelines.domains.energy.schema import ENERGY_IMPORTS, ENERGY_ROW_COLUMNS
from pipelines.core.errors import RawFileError
from pipelines.core.sql import quoted, sql_list

# A plain decimal number as publishers write it: no thousands separators, no NaN or inf.
NUMBER_PATTERN = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
NOT_AVAILABLE = ":"  # Eurostat's mark for "not available", kept as the flag where no other is given


def shown(value: object) -> str:
    return "an empty value" if value is None or not str(value).strip() else repr(value)


def refuse_first(con: duckdb.DuckDBPyConnection, path: Path, table: str, condition: str,
                 value_sql: str, column: str | None, message: str) -> None:
    """Raise for the first line of `table` where `condition` holds, naming its value."""
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


def check_numbers(con, path: Path, table: str, column: str, missing=("", NOT_AVAILABLE)) -> None:
    value = f"trim(s.{quoted(column)})"
    refuse_first(
        con, path, table,
        f"{value} NOT IN ({sql_list(missing)}) AND NOT regexp_full_match({value}, '{NUMBER_PATTERN}')",
        f"s.{quoted(column)}", column, "not a number",
    )


def number_sql(column: str, alias: str = "s") -> str:
    """The value as DOUBLE; NULL where nothing is published (empty or ':'), never a zero."""
    value = f"trim({alias}.{quoted(column)})"
    return f"CASE WHEN regexp_full_match({value}, '{NUMBER_PATTERN}') THEN CAST({value} AS DOUBLE) END"


def check_codes(con, path: Path, table: str, column: str, code_sql: str, what: str, pattern: str = CODE_PATTERN) -> None:
    """Every cell holds a code (SIEC, unit, grade, indicator), not a label or nothing."""
    refuse_first(con, path, table, f"{code_sql} IS NULL OR NOT regexp_full_match({code_sql}, '{pattern}')",
                 f"s.{quoted(column)}", column, f"unknown {what} code")


def check_geo_codes(con, path: Path, table: str, column: str, code_sql: str, what: str) -> None:
    refuse_first(
        con, path, table, unknown_eurostat_geo_sql(code_sql), f"s.{quoted(column)}", column,
        f"unknown {what} code (Eurostat writes ISO alpha-2 with EL for Greece and UK for the "
        "United Kingdom, or an aggregate such as EU27_2020)",
    )


# TIME_PERIOD as Eurostat writes it now ('YYYY', 'YYYY-MM') and in older bulk files ('YYYYMmm').
PERIOD_PATTERN = r"[12][0-9]{3}(?:-(?:0[1-9]|1[0-2]))?"
OLD_MONTH_PATTERN = r"[12][0-9]{3}M(?:0[1-9]|1[0-2])"


def period_code_sql(text: str) -> str:
    """'YYYY' or 'YYYY-MM' from a period text; NULL when unreadable."""
    return (
        f"CASE WHEN regexp_full_match({text}, '{PERIOD_PATTERN}') THEN {text} "
        f"WHEN regexp_full_match({text}, '{OLD_MONTH_PATTERN}') THEN replace({text}, 'M', '-') END"
    )


def check_periods(con, path: Path, table: str, column: str, text: str) -> None:
    refuse_first(con, path, table, f"({period_code_sql(text)}) IS NULL", f"s.{quoted(column)}", column,
                 "unreadable period (expected YYYY or YYYY-MM)")


def period_columns(code: str) -> dict[str, str]:
    """period_start and period_freq from a checked period code."""
    return {
        "period_code": code,
        "period_start": f"CASE WHEN length({code}) = 4 THEN make_date(CAST({code} AS INTEGER), 1, 1) "
                        f"ELSE CAST({code} || '-01' AS DATE) END",
        "period_freq": f"CASE WHEN length({code}) = 4 THEN 'A' ELSE 'M' END",
    }


def flag_sql(flag: str, value: str) -> str:
    """The publisher's flag; ':' where no number is published and no flag says why."""
    return f"coalesce({flag}, CASE WHEN ({value}) IS NULL THEN '{NOT_AVAILABLE}' END)"


def energy_select(columns: dict[str, str], source: str) -> str:
    """The energy row shape over `source`: every column, in order, cast to its type."""
    missing = [name for name in ENERGY_ROW_COLUMNS if name not in columns]
    if missing:
        raise ValueError(f"energy reader leaves out {missing}")  # a programming error, not bad input
    select = ",\n    ".join(
        f"CAST({columns[name]} AS {kind}) AS {name}" for name, kind in ENERGY_ROW_COLUMNS.items()
    )
    return f"SELECT\n    {select}\n{source}"


def check_one_row_per_key(con, path: Path, select: str, column: str) -> None:
    """The raw table's key is unique within a file: a repeat is reported with both lines."""
    key = ", ".join(ENERGY_IMPORTS.key)
    dup = con.execute(
        f"SELECT {key}, list(source_line ORDER BY source_line) FROM ({select}) "
        f"GROUP BY ALL HAVING count(*) > 1 ORDER BY min(source_line) LIMIT 1"
    ).fetchall()
    if dup:
        *values, lines = dup[0]
        shown_key = ", ".join(f"{k}={v}" for k, v in zip(ENERGY_IMPORTS.key, values))
        raise RawFileError(path, f"duplicated key ({shown_key}) on lines {', '.join(map(str, lines))}",
                           row=lines[1], column=column)


def row_count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
