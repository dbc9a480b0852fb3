"""Steps the energy readers share over a staged file (the generic ones are in pipelines/core/staging.py):
Eurostat periods and flags, geo and SIEC code checks, the row shape as one SELECT, and one row per key.

Staged tables carry `__line`, the line in the file (header = 1); no step loops over rows in Python.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.core.geo import unknown_eurostat_geo_sql
from pipelines.core.sql import quoted
from pipelines.core.staging import NOT_AVAILABLE, check_codes, check_unique_key, refuse_first
from pipelines.domains.energy.codes import CODE_PATTERN
from pipelines.domains.energy.schema import ENERGY_IMPORTS, ENERGY_ROW_COLUMNS


def check_energy_codes(con, path: Path, table: str, column: str, code_sql: str, what: str) -> None:
    """SIEC, unit, grade and indicator codes."""
    check_codes(con, path, table, column, code_sql, what, CODE_PATTERN)


def check_geo_codes(con, path: Path, table: str, column: str, code_sql: str, what: str) -> None:
    refuse_first(
        con,
        path,
        table,
        unknown_eurostat_geo_sql(code_sql),
        f"s.{quoted(column)}",
        column,
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
    refuse_first(
        con,
        path,
        table,
        f"({period_code_sql(text)}) IS NULL",
        f"s.{quoted(column)}",
        column,
        "unreadable period (expected YYYY or YYYY-MM)",
    )


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
    select = ",\n    ".join(f"CAST({columns[name]} AS {kind}) AS {name}" for name, kind in ENERGY_ROW_COLUMNS.items())
    return f"SELECT\n    {select}\n{source}"


def check_one_row_per_key(con, path: Path, select: str, column: str) -> None:
    """The raw table's key is unique within a file: a repeat is reported with both lines."""
    check_unique_key(con, path, f"({select})", ENERGY_IMPORTS.key, line_column="source_line", column=column)
