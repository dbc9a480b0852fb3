"""Comext bulk product files (full_YYYYMM.dat, from full_v2_YYYYMM.7z): CN8 detail, every partner.

Millions of rows a month: DuckDB reads them, only the columns needed, filtered to the
configured partners while reading, so memory does not grow with the file.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from pipelines.core.errors import RawFileError
from pipelines.core.files import compression_of
from pipelines.core.geo import eurostat_geo_sql, iso_geo_code
from pipelines.core.sql import row_count, sql_list, sql_string
from pipelines.domains.trade.schema import period_columns_sql

# Our name -> the column in each layout. Current files have 18 columns (17 in older
# downloads, without PRODUCT_CPA22); the older layout (fullYYYYMM.7z) names them differently.
LAYOUTS: dict[str, dict[str, str]] = {
    "full_v2": {
        "reporter": "REPORTER",
        "partner": "PARTNER",
        "product": "PRODUCT_NC",
        "flow": "FLOW",
        "stat_procedure": "STAT_PROCEDURE",
        "period": "PERIOD",
        "value_eur": "VALUE_EUR",
        "quantity_kg": "QUANTITY_KG",
    },
    "legacy": {
        "reporter": "DECLARANT_ISO",
        "partner": "PARTNER_ISO",
        "product": "PRODUCT_NC",
        "flow": "FLOW",
        "stat_procedure": "STAT_REGIME",
        "period": "PERIOD",
        "value_eur": "VALUE_IN_EUROS",
        "quantity_kg": "QUANTITY_IN_KG",
    },
}
NUMERIC = ("value_eur", "quantity_kg")


def bulk_layout(columns: list[str]) -> str | None:
    """Which bulk layout a header is, or None."""
    names = {c.upper() for c in columns}
    for layout, mapping in LAYOUTS.items():
        if set(mapping.values()) <= names:
            return layout
    return None


def looks_like_bulk(columns: list[str]) -> bool:
    """CN8 product column present: a bulk file, complete or not (then the missing column is named)."""
    return "PRODUCT_NC" in {c.upper() for c in columns}


def _select(col: dict[str, str], ref, number, source: str, partner_filter: str = "") -> str:
    """The trade row shape over `source`; ref(name) / number(name) give a column's text / BIGINT."""
    return f"""
        SELECT
            'comext_bulk' AS source_format,
            'DS-045409' AS dataset,
            {eurostat_geo_sql(ref(col["reporter"]))} AS reporter_code,
            {ref(col["partner"])} AS partner_code,
            {ref(col["product"])} AS product_code,
            CASE {ref(col["flow"])} WHEN '1' THEN 'import' WHEN '2' THEN 'export' END AS flow,
            {ref(col["stat_procedure"])} AS stat_procedure,
            {ref(col["period"])} AS period_code,
            {period_columns_sql(ref(col["period"]))},
            CAST({number(col["value_eur"])} AS DOUBLE) AS value_eur,
            CAST({number(col["quantity_kg"])} AS DOUBLE) AS quantity_kg,
            CAST(NULL AS VARCHAR) AS obs_flag,
            CAST(NULL AS VARCHAR) AS vintage,
            CAST(NULL AS BIGINT) AS source_line
        FROM {source}
        {partner_filter}
    """


def _layout(path: Path, columns: list[str]) -> dict[str, str]:
    layout = bulk_layout(columns)
    if layout is None:
        legacy = any(c.upper() == "DECLARANT_ISO" for c in columns)
        expected = LAYOUTS["legacy" if legacy else "full_v2"].values()
        missing = [c for c in expected if c not in {c.upper() for c in columns}]
        raise RawFileError(path, f"Comext bulk header lacks column(s) {', '.join(missing)}", row=1, column=missing[0])
    return LAYOUTS[layout]


def read_comext_bulk_sql(path: Path, columns: list[str], partners: tuple[str, ...]) -> str:
    """A SELECT of the trade row shape over one bulk file, for the given partners (the strict scan)."""
    col = _layout(path, columns)
    numeric = {col[name] for name in NUMERIC}
    # Every column declared and sniffing off: DuckDB never guesses a type and converts only
    # the columns selected below. A non-numeric value fails the scan with DuckDB's own line
    # and column, which the loader passes on (errors.from_duckdb_error).
    declared = ", ".join(f"{sql_string(c)}: '{'BIGINT' if c.upper() in numeric else 'VARCHAR'}'" for c in columns)
    source = (
        f"read_csv({sql_string(path)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"compression = {sql_string(compression_of(path))}, columns = {{{declared}}})"
    )
    partner_filter = f"WHERE {col['partner']} IN ({sql_list(partners)})" if partners else ""
    return _select(col, lambda c: c, lambda c: c, source, partner_filter)


def stage_comext_bulk_sql(con, path: Path, columns: list[str], partners: tuple[str, ...]) -> str:
    """The fast path: each line read whole, kept when its partner field is configured, split afterwards.

    DuckDB's CSV tokenizer costs per field: 18 fields x every row. Reading each line as one field
    (a delimiter that never occurs) and keeping the configured partners' lines by an anchored regular
    expression touches each row once; only the kept lines are split. Any irregularity in the kept
    lines (field count, a non-numeric value) or a quote in the file's head falls back to the strict
    scan, which then reports DuckDB's own line and column. Rows of other partners are not validated.
    """
    strict = read_comext_bulk_sql(path, columns, partners)
    if not partners or not all(re.fullmatch(r"[A-Za-z0-9_]+", p) for p in partners) or _quoted(path):
        return strict
    col = _layout(path, columns)
    position = {c.upper(): i for i, c in enumerate(columns)}
    pattern = f"^(?:[^,]*,){{{position[col['partner']]}}}(?:{'|'.join(partners)}),"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE stage_bulk AS SELECT string_split(line, ',') AS f "
        f"FROM read_csv({sql_string(path)}, columns = {{'line': 'VARCHAR'}}, delim = '\x1f', quote = '', escape = '', "
        f"header = true, auto_detect = false, compression = {sql_string(compression_of(path))}) "
        f"WHERE regexp_matches(line, {sql_string(pattern)})"
    )
    ref = lambda c: f"f[{position[c.upper()] + 1}]"  # noqa: E731
    number = lambda c: f"CAST(NULLIF({ref(c)}, '') AS BIGINT)"  # noqa: E731
    irregular = " OR ".join(
        [f"len(f) <> {len(columns)}"]
        + [f"({ref(col[n])} <> '' AND TRY_CAST({ref(col[n])} AS BIGINT) IS NULL)" for n in NUMERIC]
    )
    if row_count(con, f"(SELECT * FROM stage_bulk WHERE {irregular})"):
        con.execute("DROP TABLE stage_bulk")
        return strict
    return _select(col, ref, number, "stage_bulk")


def _quoted(path: Path, head: int = 1 << 16) -> bool:
    """Comext bulk files quote nothing; a quote in the first 64 KiB sends the file to the strict scan."""
    opener = gzip.open if compression_of(path) == "gzip" else open
    with opener(path, "rb") as handle:
        return b'"' in handle.read(head)


def locate_bulk_lines(path: Path, columns: list[str], key: dict) -> list[int]:
    """Lines (header = 1) of the rows with this key: a second scan, on the error path only."""
    import duckdb

    col = LAYOUTS[bulk_layout(columns)]
    reporter = key.get("reporter_code")
    conditions = {
        col["reporter"]: iso_geo_code(reporter) if reporter else None,
        col["partner"]: key.get("partner_code"),
        col["product"]: key.get("product_code"),
        col["flow"]: {"import": "1", "export": "2"}.get(key.get("flow")),
        col["stat_procedure"]: key.get("stat_procedure"),
        col["period"]: key.get("period_code"),
    }
    where = " AND ".join(f"{name} = {sql_string(value)}" for name, value in conditions.items() if value is not None)
    with duckdb.connect() as con:
        con.execute("SET threads = 1")  # one thread keeps file order for row_number()
        rows = con.execute(
            f"SELECT line FROM (SELECT row_number() OVER () + 1 AS line, * FROM read_csv({sql_string(path)}, "
            f"header = true, all_varchar = true, compression = {sql_string(compression_of(path))})) "
            f"WHERE {where} ORDER BY line"
        ).fetchall()
    return [r[0] for r in rows]
