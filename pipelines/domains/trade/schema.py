"""The one shape every trade reader lands: publisher codes kept, units in the names."""

from __future__ import annotations

from pipelines.core.tables import RawTable

# Column -> DuckDB type of `raw.trade_flows` (lineage columns are added by the loader).
TRADE_ROW_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",  # comext_bulk | comext_relational | eurostat_sdmx
    "dataset": "VARCHAR",  # publisher's dataset code, e.g. DS-045409
    "reporter_code": "VARCHAR",  # Eurostat geo code (EL for Greece), or an aggregate such as EU27_2020
    "partner_code": "VARCHAR",  # ISO alpha-2, or a Comext special/aggregate code (QP..QZ, EXT_EU27_2020)
    "product_code": "VARCHAR",  # CN8 (incl. confidential residuals like 39XXXXXX), HS chapter, or TOTAL
    "flow": "VARCHAR",  # import | export, seen from the reporter
    "stat_procedure": "VARCHAR",  # Comext statistical procedure (1, 2, 3, 9) or TOTAL
    "period_code": "VARCHAR",  # YYYYMM, or YYYY52 for a whole year (Comext's convention)
    "period_start": "DATE",  # first day of the month, or 1 January for a year
    "period_freq": "VARCHAR",  # M | A
    "value_eur": "DOUBLE",  # NULL where the publisher marks the figure not available
    "quantity_kg": "DOUBLE",
    "obs_flag": "VARCHAR",  # publisher's flag, as written (':' not available, 'c' confidential, ...)
    "vintage": "VARCHAR",  # publisher's last-update stamp where the format carries one
    "source_line": "BIGINT",  # line in the file (header = 1), where the reader can tell it cheaply
}

TRADE_FLOWS = RawTable(
    name="trade_flows",
    columns=TRADE_ROW_COLUMNS,
    key=("reporter_code", "partner_code", "product_code", "flow", "stat_procedure", "period_code"),
    not_null=("flow", "period_start"),  # NULL when a flow code or a period is unreadable
    formats=("comext_bulk", "comext_relational", "eurostat_sdmx"),
)


PERIOD_CODE_PATTERN = r"^[12][0-9]{3}(0[1-9]|1[0-2]|52)$"


def period_columns_sql(code: str) -> str:
    """period_start and period_freq from a YYYYMM / YYYY52 code expression (NULL when malformed)."""
    valid = f"regexp_full_match({code}, '{PERIOD_CODE_PATTERN}')"
    month = f"CAST(substr({code}, 5, 2) AS INTEGER)"
    year = f"CAST(substr({code}, 1, 4) AS INTEGER)"
    return (
        f"CASE WHEN {valid} THEN make_date({year}, CASE WHEN {month} = 52 THEN 1 ELSE {month} END, 1) END"
        f" AS period_start, "
        f"CASE WHEN {valid} THEN CASE WHEN {month} = 52 THEN 'A' ELSE 'M' END END AS period_freq"
    )


# Column -> DuckDB type of `raw.comtrade_flows`: UN Comtrade rows as published (names kept beside
# the codes they map to), quantity with its published unit, value in US dollars.
COMTRADE_ROW_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",  # un_comtrade_csv
    "year": "INTEGER",  # Comtrade's reference year (annual data)
    "reporter_label": "VARCHAR",  # as published ('Germany')
    "reporter_code": "VARCHAR",  # ISO 3166 alpha-2
    "flow": "VARCHAR",  # import | export, seen from the reporter
    "partner_label": "VARCHAR",  # as published: the country of origin for imports ('Kazakhstan', 'World')
    "partner_code": "VARCHAR",  # ISO alpha-2, or a Comtrade area (seed comtrade_partner_areas: WORLD, ...)
    "partner2_label": "VARCHAR",  # as published: the second partner, the country of consignment for imports
    "partner2_code": "VARCHAR",
    "commodity_label": "VARCHAR",  # as published
    "hs_code": "VARCHAR",  # HS heading (seed comtrade_commodities), e.g. 2709
    "quantity": "DOUBLE",  # NULL where none is published
    "quantity_unit": "VARCHAR",  # as published: kg, or Comtrade's N/A
    "value_usd": "DOUBLE",  # trade value, US dollars
    "source_line": "BIGINT",  # line in the file (header = 1)
}

COMTRADE_FLOWS = RawTable(
    name="comtrade_flows",
    columns=COMTRADE_ROW_COLUMNS,
    key=("reporter_code", "flow", "partner_code", "partner2_code", "hs_code", "year"),
    not_null=("year", "reporter_code", "partner_code", "partner2_code", "hs_code", "value_usd"),
    formats=("un_comtrade_csv",),
)
