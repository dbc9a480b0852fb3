"""The project's own small CSV of cited energy facts (figures no dataset serves, such as the Euratom
Supply Agency's share of Kazakh uranium in EU deliveries), one fact per row.

Header: fact_id, dataset, reporter_code, partner_code, product_code, indicator_code, period_code,
obs_value, obs_flag, publisher, source_url, statement. Codes are written as in the row shape
(Eurostat geo codes for reporter and partner); every row cites its page in source_url.
publisher and statement stay in the file: the row shape has no place for them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.sql import quoted, row_count
from pipelines.core.staging import (
    check_codes,
    check_numbers,
    check_unique_key,
    number_sql,
    refuse_first,
    require_columns,
    stage_text_csv,
    text_sql,
)
from pipelines.core.tables import ReadResult
from pipelines.domains.energy.readers.sql_steps import (
    check_geo_codes,
    check_one_row_per_key,
    check_periods,
    energy_select,
    period_code_sql,
    period_columns,
)

COLUMNS = (
    "fact_id",
    "dataset",
    "reporter_code",
    "partner_code",
    "product_code",
    "indicator_code",
    "period_code",
    "obs_value",
    "obs_flag",
    "publisher",
    "source_url",
    "statement",
)
TABLE = "stage_energy_reference_facts"
# Products and indicators no Eurostat code list names (e.g. 'uranium_natural') are the facts
# file's own identifiers: any case, no spaces.
IDENTIFIER = "[A-Za-z0-9][A-Za-z0-9_.-]*"


def is_reference_facts_header(columns: list[str]) -> bool:
    return {"fact_id", "source_url"} <= {c.lower() for c in columns}


def read_energy_reference_facts(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> ReadResult:
    require_columns(path, columns, COLUMNS)
    name = {c.lower(): c for c in columns}
    col = {c: name[c] for c in COLUMNS}
    cell = {c: text_sql(col[c]) for c in COLUMNS}
    stage_text_csv(con, path, TABLE)
    for required in ("fact_id", "dataset", "publisher"):
        _refuse_empty(con, path, col[required], f"{required} is required")
    refuse_first(
        con,
        path,
        TABLE,
        f"NOT regexp_full_match(coalesce({cell['source_url']}, ''), 'https?://\\S+')",
        f"s.{quoted(col['source_url'])}",
        col["source_url"],
        "source_url is required on every fact (the http(s) address of the cited page)",
    )
    check_unique_key(con, path, TABLE, [col["fact_id"]])
    check_geo_codes(con, path, TABLE, col["reporter_code"], cell["reporter_code"], "reporter")
    refuse_first(
        con,
        path,
        TABLE,
        f"{cell['partner_code']} IS NOT NULL AND NOT regexp_full_match({cell['partner_code']}, '[A-Z][A-Z0-9_]*')",
        f"s.{quoted(col['partner_code'])}",
        col["partner_code"],
        "unknown partner code",
    )
    check_codes(con, path, TABLE, col["product_code"], cell["product_code"], "product", IDENTIFIER)
    check_codes(con, path, TABLE, col["indicator_code"], cell["indicator_code"], "indicator", IDENTIFIER)
    check_periods(con, path, TABLE, col["period_code"], cell["period_code"])
    check_numbers(con, path, TABLE, col["obs_value"], missing=("",))
    refuse_first(
        con,
        path,
        TABLE,
        f"{cell['obs_value']} IS NULL AND {cell['obs_flag']} IS NULL",
        f"s.{quoted(col['obs_value'])}",
        col["obs_value"],
        "a fact without a value needs a flag saying why (e.g. 'c' confidential)",
    )

    select = energy_select(
        {
            "source_format": "'reference_facts'",
            "dataset": cell["dataset"],
            "reporter_code": cell["reporter_code"],
            "partner_code": cell["partner_code"],
            "partner_label": "NULL",
            "product_code": cell["product_code"],
            "indicator_code": cell["indicator_code"],
            **period_columns("pe.period_code"),
            "obs_value": number_sql(col["obs_value"]),
            "obs_flag": cell["obs_flag"],
            "vintage": "NULL",
            "source_url": cell["source_url"],
            "source_line": "s.__line",
        },
        f"FROM {TABLE} s, LATERAL (SELECT {period_code_sql(cell['period_code'])} AS period_code) pe",
    )
    check_one_row_per_key(con, path, select, col["fact_id"])
    return ReadResult(select, rows_read=row_count(con, TABLE))


def _refuse_empty(con, path: Path, column: str, message: str) -> None:
    refuse_first(con, path, TABLE, f"{text_sql(column)} IS NULL", f"s.{quoted(column)}", column, message)
