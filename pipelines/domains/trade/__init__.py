"""Trade: Eurostat Comext flows between the EU and Kazakhstan (and the control partners), Kazakhstan's
own view of its trade, and UN Comtrade's view of Germany's crude imports.

Journey of a file: raw/trade -> readers/ (comext_bulk, comext_relational, comext_sdmx_csv) ->
raw.trade_flows (schema.py) -> suite.py -> dbt staging/trade -> marts/trade. Kazakhstan's Bureau of
National Statistics workbooks (readers/bns_xls) land in raw.kz_partner_trade and IMF Direction of Trade
Statistics workbooks (readers/imf_dots_xlsx) in raw.imf_dots_flows; UN Comtrade extracts
(readers/un_comtrade_csv) in raw.comtrade_flows -> staging/trade -> marts/energy (Germany's crude
imports by origin and consignment). Partial CN8 selections (readers comext_bulk_extract,
comext_databrowser_long) land in tables of their own and feed the critical-raw-material and
sanctioned-goods marts only. Each table has its own suite.
"""

from pipelines.connectors import refresh_trade
from pipelines.core.domain import Domain, Download, RawSource, Suite
from pipelines.domains.trade.readers import read_trade_file
from pipelines.domains.trade.schema import (
    COMEXT_BULK_EXTRACT_FLOWS,
    COMEXT_DATABROWSER_FLOWS,
    COMTRADE_FLOWS,
    IMF_DOTS_FLOWS,
    KZ_PARTNER_TRADE,
    TRADE_FLOWS,
)
from pipelines.domains.trade.suite import (
    BULK_EXTRACT_ROW_LOCATOR,
    COMTRADE_ROW_LOCATOR,
    DATABROWSER_ROW_LOCATOR,
    IMF_DOTS_ROW_LOCATOR,
    KZ_PARTNER_TRADE_ROW_LOCATOR,
    ROW_LOCATOR,
    bulk_extract_expectations,
    comtrade_expectations,
    databrowser_expectations,
    imf_dots_expectations,
    kz_partner_trade_expectations,
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
                "kz_partner_trade": Suite(
                    kz_partner_trade_expectations,
                    tuple(KZ_PARTNER_TRADE_ROW_LOCATOR),
                    "Great Expectations suite on Kazakhstan's BNS partner rows: columns and types, non-null keys, "
                    "partner codes and kinds in their sets, one row per year and partner and one total per year "
                    "within a file, edition not before the year, figures non-negative and plausible, shares 0..100.",
                ),
                "imf_dots_flows": Suite(
                    imf_dots_expectations,
                    tuple(IMF_DOTS_ROW_LOCATOR),
                    "Great Expectations suite on the IMF DOTS figures: columns and types, every key and figure "
                    "present, exports FOB and imports CIF, estimate flag 'e' only, one figure per reporter, partner, "
                    "flow and year within a file, values non-negative and plausible, years 1948..today.",
                ),
                "comtrade_flows": Suite(
                    comtrade_expectations,
                    tuple(COMTRADE_ROW_LOCATOR),
                    "Great Expectations suite on the landed UN Comtrade rows: columns and types, non-null keys, "
                    "ISO or Comtrade-area partner codes, HS codes, kg (or N/A) quantities, non-negative and plausible "
                    "USD values, one row per key within a file, years 1962..today.",
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
            description=(
                "Eurostat Comext trade rows (DS-045409) from every file in raw/trade: bulk full_YYYYMM.dat, "
                "Easy Comext relational views and SDMX-CSV, recognised by header, plain or gzip. Bulk files "
                "are filtered to the configured partners (KZEU_TRADE_PARTNERS) while reading. "
                "Kazakhstan's Bureau of National Statistics foreign-trade workbooks (.xls/.xlsx) land in "
                "raw.kz_partner_trade, IMF DOTS workbooks in raw.imf_dots_flows, recognised by their bytes and "
                "sheet layout; UN Comtrade CSV extracts (annual, by partner and second partner, USD and kg; "
                "recognised by their Partner2 and Trade Value columns) in raw.comtrade_flows. CN8 extracts of bulk "
                "files (every partner kept) land in raw.comext_bulk_extract_flows, flattened data-browser exports "
                "in raw.comext_databrowser_flows: partial CN8 selections, landed apart so that dbt never sums "
                "them into chapters or TOTAL. "
                "Lineage columns _source_file, _source_sha256, _loaded_at; one audit.load_log row per file."
            ),
            summary_sql=(
                "SELECT source_format, count(*) AS rows, min(period_start) AS first_period, "
                "max(period_start) AS last_period FROM {table} GROUP BY 1 ORDER BY 1"
            ),
            other_tables=(
                KZ_PARTNER_TRADE,
                IMF_DOTS_FLOWS,
                COMTRADE_FLOWS,
                COMEXT_BULK_EXTRACT_FLOWS,
                COMEXT_DATABROWSER_FLOWS,
            ),
            other_summaries={
                "kz_partner_trade": "SELECT year, vintage_year, count(*) AS rows, "
                "count(*) FILTER (partner_kind = 'country') AS countries FROM {table} GROUP BY ALL ORDER BY ALL",
                "imf_dots_flows": "SELECT reporter_code, flow, count(*) AS figures, count(obs_flag) AS estimates, "
                "min(year) AS first_year, max(year) AS last_year FROM {table} GROUP BY ALL ORDER BY ALL",
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
