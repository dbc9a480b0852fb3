"""Trade: Eurostat Comext flows between the EU and Kazakhstan (and the control partners).

Journey of a file: raw/trade -> readers/ (comext_bulk, comext_relational, comext_sdmx_csv) ->
raw.trade_flows (schema.py) -> suite.py -> dbt staging/trade -> marts/trade.
UN Comtrade extracts (readers/un_comtrade_csv) land in raw.comtrade_flows -> staging/trade ->
marts/energy (Germany's crude imports by origin and consignment).
"""

from pipelines.connectors import refresh_trade
from pipelines.core.domain import Domain, Download, RawSource, Suite
from pipelines.domains.trade.readers import read_trade_file
from pipelines.domains.trade.schema import COMTRADE_FLOWS, TRADE_FLOWS
from pipelines.domains.trade.suite import COMTRADE_ROW_LOCATOR, ROW_LOCATOR, comtrade_expectations, trade_expectations

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
                "comtrade_flows": Suite(
                    comtrade_expectations,
                    tuple(COMTRADE_ROW_LOCATOR),
                    "Great Expectations suite on the landed UN Comtrade rows: columns and types, non-null keys, "
                    "ISO or Comtrade-area partner codes, HS codes, kg (or N/A) quantities, non-negative and plausible "
                    "USD values, one row per key within a file, years 1962..today.",
                ),
            },
            description=(
                "Eurostat Comext trade rows (DS-045409) from every file in raw/trade: bulk full_YYYYMM.dat, "
                "Easy Comext relational views and SDMX-CSV, recognised by header, plain or gzip. Bulk files "
                "are filtered to the configured partners (KZEU_TRADE_PARTNERS) while reading. "
                "Lineage columns _source_file, _source_sha256, _loaded_at; one audit.load_log row per file. "
                "UN Comtrade CSV extracts (annual, by partner and second partner, USD and kg; recognised by "
                "their Partner2 and Trade Value columns) land in raw.comtrade_flows."
            ),
            summary_sql=(
                "SELECT source_format, count(*) AS rows, min(period_start) AS first_period, "
                "max(period_start) AS last_period FROM {table} GROUP BY 1 ORDER BY 1"
            ),
            other_tables=(COMTRADE_FLOWS,),
            other_summaries={
                "comtrade_flows": "SELECT reporter_code, flow, hs_code, count(*) AS rows, min(year) AS first_year, "
                "max(year) AS last_year FROM {table} GROUP BY ALL ORDER BY ALL",
            },
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
