"""Trade: Eurostat Comext flows between the EU and Kazakhstan (and the control partners).

Journey of a file: raw/trade -> readers/ (comext_bulk, comext_relational, comext_sdmx_csv) ->
raw.trade_flows (schema.py) -> suite.py -> dbt staging/trade -> marts/trade. Partial CN8 selections
(readers comext_bulk_extract, comext_databrowser_long) land in tables of their own and feed the
critical-raw-material and sanctioned-goods marts only.
"""

from pipelines.connectors import refresh_trade
from pipelines.core.domain import Domain, Download, RawSource, Suite
from pipelines.domains.trade.readers import read_trade_file
from pipelines.domains.trade.schema import COMEXT_BULK_EXTRACT_FLOWS, COMEXT_DATABROWSER_FLOWS, TRADE_FLOWS
from pipelines.domains.trade.suite import (
    BULK_EXTRACT_ROW_LOCATOR,
    DATABROWSER_ROW_LOCATOR,
    ROW_LOCATOR,
    bulk_extract_expectations,
    databrowser_expectations,
    trade_expectations,
)

DOMAIN = Domain(
    name="trade",
    sources=(
        RawSource(
            folder="trade",
            table=TRADE_FLOWS,
            # Bulk files hold every partner of the world: only the configured ones are read.
            reader=lambda settings: lambda con, path: read_trade_file(con, path, settings.trade_partners),
            suites={
                "trade_flows": Suite(
                    trade_expectations,
                    tuple(ROW_LOCATOR),
                    "Great Expectations suite on the landed trade rows: columns and types, non-null keys, flow "
                    "and code sets, non-negative and plausible values, one row per key within a file, periods "
                    "1988..today.",
                ),
                "comext_bulk_extract_flows": Suite(
                    bulk_extract_expectations,
                    tuple(BULK_EXTRACT_ROW_LOCATOR),
                    "Great Expectations suite on CN8 extracts of Comext bulk files: columns and types, non-null "
                    "keys and values, member-state reporters, two-letter partners, CN8 codes, one row per key "
                    "within a file, values 0..EUR 5 trillion, periods 1988..today.",
                ),
                "comext_databrowser_flows": Suite(
                    databrowser_expectations,
                    tuple(DATABROWSER_ROW_LOCATOR),
                    "Great Expectations suite on flattened data-browser exports: columns and types, non-null "
                    "keys, geo and product code shapes, indicator VALUE_IN_EUROS only, one row per key within a "
                    "file, values 0..EUR 5 trillion, periods 1988..today.",
                ),
            },
            # partial CN8 selections: landed apart, so that dbt never sums them into chapters or TOTAL
            other_tables=(COMEXT_BULK_EXTRACT_FLOWS, COMEXT_DATABROWSER_FLOWS),
            description=(
                "Eurostat Comext trade rows (DS-045409) from every file in raw/trade: bulk full_YYYYMM.dat, "
                "Easy Comext relational views and SDMX-CSV, recognised by header, plain or gzip. Bulk files "
                "are filtered to the configured partners (KZEU_TRADE_PARTNERS) while reading. CN8 extracts of "
                "bulk files (every partner kept) land in raw.comext_bulk_extract_flows, flattened data-browser "
                "exports in raw.comext_databrowser_flows. "
                "Lineage columns _source_file, _source_sha256, _loaded_at; one audit.load_log row per file."
            ),
            summary_sql=(
                "SELECT source_format, count(*) AS rows, min(period_start) AS first_period, "
                "max(period_start) AS last_period FROM {table} GROUP BY 1 ORDER BY 1"
            ),
            downloads=(
                Download(
                    "eurostat_comext_trade",
                    "monthly",
                    lambda settings, month: refresh_trade(settings, month),
                    "Comext DS-045409 SDMX-CSV of the month (EU27 and member states with KZEU_TRADE_PARTNERS, "
                    "TOTAL and HS 27, imports and exports) into raw/trade/.",
                ),
            ),
        ),
    ),
)
