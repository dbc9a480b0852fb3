"""Trade: every file in raw/trade lands in raw.trade_flows (reader: pipelines/sources/trade.py)."""

import dagster as dg

from pipelines.domains.trade.readers import read_trade_file
from pipelines.domains.trade.schema import TRADE_FLOWS
from pipelines.assets.raw_folder import raw_folder_asset, raw_key

RAW_TRADE_FLOWS = raw_key(TRADE_FLOWS)

raw_trade = raw_folder_asset(
    domain="trade",
    raw_table=TRADE_FLOWS,
    # Bulk files hold every partner of the world: only the configured ones are read.
    reader=lambda settings: lambda con, path: read_trade_file(con, path, settings.trade_partners),
    group="trade",
    description=(
        "Eurostat Comext trade rows (DS-045409) from every file in raw/trade: bulk full_YYYYMM.dat, "
        "Easy Comext relational views and SDMX-CSV, recognised by header, plain or gzip. Bulk files "
        "are filtered to the configured partners (KZEU_TRADE_PARTNERS) while reading. "
        "Lineage columns _source_file, _source_sha256, _loaded_at; one audit.load_log row per file."
    ),
    downloads=(dg.AssetKey(["download", "eurostat_comext_trade"]),),
    summary_sql=(
        "SELECT source_format, count(*) AS rows, min(period_start) AS first_period, max(period_start) AS last_period "
        "FROM {table} GROUP BY 1 ORDER BY 1"
    ),
)
