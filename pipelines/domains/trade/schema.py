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
    publishers=("eurostat",),
    datasets=("DS-045409",),
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
    publishers=("un-comtrade",),
    datasets=("comtrade-hs",),
)

# Kazakhstan's Bureau of National Statistics, "main indicators of foreign trade by country":
# one row per sheet (reference year) and partner label, figures in thousand US dollars as published.
KZ_PARTNER_TRADE_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",  # bns_xls (an Excel workbook, .xls or .xlsx)
    "dataset": "VARCHAR",  # the publisher's table: BNS main indicators of foreign trade by country
    "sheet": "VARCHAR",  # sheet name as published (12_2019, 2022, ...)
    "year": "INTEGER",  # reference year of the sheet, read from its title
    "vintage_year": "INTEGER",  # the workbook's edition: the latest year it covers (the year before is a revision)
    "published_on": "DATE",  # publication date where the workbook states it (its cover sheet), else NULL
    "partner_label_ru": "VARCHAR",  # row label as published (whitespace collapsed)
    "partner_code": "VARCHAR",  # ISO alpha-2, WORLD for the total, or a BNS group code (seed bns_partner_labels)
    "partner_kind": "VARCHAR",  # country | group | total: groups are never summed with countries
    "turnover_thousand_usd": "DOUBLE",  # NULL where the cell is empty (no trade published)
    "turnover_share_pct": "DOUBLE",  # partner's share of Kazakhstan's turnover, % as published (rounded)
    "exports_thousand_usd": "DOUBLE",
    "exports_share_pct": "DOUBLE",
    "imports_thousand_usd": "DOUBLE",
    "imports_share_pct": "DOUBLE",
    "source_line": "BIGINT",  # the row in the sheet, as Excel numbers it
}

KZ_PARTNER_TRADE = RawTable(
    name="kz_partner_trade",
    columns=KZ_PARTNER_TRADE_COLUMNS,
    key=("year", "partner_code"),
    not_null=("year", "vintage_year", "partner_code", "partner_kind"),
    formats=("bns_xls",),
    publishers=("bns-kz",),
    datasets=("bns-foreign-trade-by-country",),
)

# IMF Direction of Trade Statistics, one workbook per reporting country: exports FOB and imports
# CIF by partner and year, US dollars, millions; one row per published cell (empty cells are absent).
IMF_DOTS_FLOWS_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",  # imf_dots_xlsx
    "dataset": "VARCHAR",  # IMF DOTS
    "sheet": "VARCHAR",  # sheet name as published ("Exports, FOB", "Imports, CIF")
    "reporter_name": "VARCHAR",  # reporting country as the IMF names it ("Kazakhstan, Rep. of")
    "reporter_code": "VARCHAR",  # ISO alpha-2, or a code of seed imf_dots_partner_names (BE_LU, CSHH)
    "partner_name": "VARCHAR",  # partner as the IMF names it ("Netherlands, The")
    "partner_code": "VARCHAR",  # ISO alpha-2, ISO 3166-3 for former countries, or an IMF group code
    "partner_kind": "VARCHAR",  # country | group | total
    "flow": "VARCHAR",  # export | import, seen from the reporter
    "valuation": "VARCHAR",  # FOB for exports, CIF for imports, as the sheet title says
    "year": "INTEGER",
    "value_usd_million": "DOUBLE",  # as published; an IMF estimate keeps its value
    "obs_flag": "VARCHAR",  # 'e' where the IMF marks the figure an estimate, else NULL
    "source_line": "BIGINT",  # the row in the sheet, as Excel numbers it
    "source_column": "VARCHAR",  # the column letter of the cell (its year's column)
}

IMF_DOTS_FLOWS = RawTable(
    name="imf_dots_flows",
    columns=IMF_DOTS_FLOWS_COLUMNS,
    key=("reporter_code", "partner_code", "flow", "year"),
    not_null=("reporter_code", "partner_code", "partner_kind", "flow", "year", "value_usd_million"),
    formats=("imf_dots_xlsx",),
    publishers=("imf",),
    datasets=("imf-dots",),
)


# Partial CN8 extracts land in tables of their own, never in raw.trade_flows: dbt rolls trade_flows
# up to HS chapters and TOTAL, and a subset of codes summed there would pass for a chapter figure.

# `raw.comext_bulk_extract_flows`: extracts cut from Comext bulk files (a few CN8 codes, every partner).
BULK_EXTRACT_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",  # comext_bulk_extract
    "dataset": "VARCHAR",  # DS-045409
    "reporter_code": "VARCHAR",  # member state, Eurostat geo code (EL for Greece)
    "partner_code": "VARCHAR",  # as Comext writes it: ISO alpha-2 (GR, GB) or a special code (XS, QU, ...)
    "product_code": "VARCHAR",  # CN8 as published (leading zeros kept)
    "flow": "VARCHAR",  # import | export, seen from the reporter
    "period_code": "VARCHAR",  # as published: YYYY or YYYY52 (a year), YYYYMM (a month)
    "period_start": "DATE",
    "period_freq": "VARCHAR",  # A | M
    "value_eur": "DOUBLE",  # euro (three decimals for reporters outside the euro area)
    "quantity_kg": "DOUBLE",  # NULL where the extract carries no quantity column
    "source_line": "BIGINT",
}

COMEXT_BULK_EXTRACT_FLOWS = RawTable(
    name="comext_bulk_extract_flows",
    columns=BULK_EXTRACT_COLUMNS,
    key=("reporter_code", "partner_code", "product_code", "flow", "period_code"),
    not_null=("flow", "period_start"),
    formats=("comext_bulk_extract",),
    publishers=("eurostat",),
    datasets=("DS-045409",),
)

# `raw.comext_databrowser_flows`: Eurostat data-browser exports of DS-045409, flattened to one row a cell.
DATABROWSER_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",  # comext_databrowser_long
    "dataset": "VARCHAR",  # DS-045409
    "export_file": "VARCHAR",  # the data-browser spreadsheet the row was flattened from
    "export_sheet": "VARCHAR",
    "reporter_code": "VARCHAR",  # Eurostat geo code (EL for Greece)
    "partner_code": "VARCHAR",  # ISO alpha-2
    "product_code": "VARCHAR",  # HS2/HS4/HS6/CN8 or TOTAL, parsed from "label [code]"
    "product_label": "VARCHAR",  # the label before the brackets, as published
    "flow": "VARCHAR",  # import | export
    "indicator": "VARCHAR",  # VALUE_IN_EUROS (the unit of value_eur)
    "period_code": "VARCHAR",  # as published: YYYY-MM or YYYY
    "period_start": "DATE",
    "period_freq": "VARCHAR",  # M | A
    "value_eur": "DOUBLE",  # NULL where the export marks it not available
    "obs_flag": "VARCHAR",  # ':' where not available
    "source_line": "BIGINT",
}

COMEXT_DATABROWSER_FLOWS = RawTable(
    name="comext_databrowser_flows",
    columns=DATABROWSER_COLUMNS,
    key=("reporter_code", "partner_code", "product_code", "flow", "indicator", "period_code"),
    not_null=("reporter_code", "partner_code", "product_code", "flow", "period_start"),
    formats=("comext_databrowser_long",),
    publishers=("eurostat",),
    datasets=("DS-045409",),
)


def year_or_month_period_sql(code: str) -> str:
    """period_start and period_freq from YYYY, YYYY52, YYYYMM or YYYY-MM (NULL when malformed)."""
    digits = f"replace({code}, '-', '')"
    year = f"regexp_full_match({code}, '[12][0-9]{{3}}')"
    return period_columns_sql(f"CASE WHEN {year} THEN {code} || '52' ELSE {digits} END")
