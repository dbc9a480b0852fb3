"""Trade: every file in raw/trade lands in raw.trade_flows (reader: pipelines/sources/trade.py)."""

import dagster as dg

from ..landing import land_folder
from ..settings import load_settings
from ..sources.trade import read_trade_file
from ..sources.trade_rows import TRADE_FLOWS
from ..warehouse import build_connection
from .metadata import table_preview

RAW_TRADE_FLOWS = dg.AssetKey(["raw", TRADE_FLOWS.name])


@dg.asset(
    key=RAW_TRADE_FLOWS,
    group_name="trade",
    kinds={"duckdb", "python"},
    description=(
        "Eurostat Comext trade rows (DS-045409) from every file in raw/trade: bulk full_YYYYMM.dat, "
        "Easy Comext relational views and SDMX-CSV, recognised by header, plain or gzip. Bulk files "
        "are filtered to the configured partners (KZEU_TRADE_PARTNERS) while reading. "
        "Lineage columns _source_file, _source_sha256, _loaded_at; one audit.load_log row per file."
    ),
    metadata={"table": "raw.trade_flows", "dagster/table_name": "raw.trade_flows"},
)
def raw_trade_flows(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = load_settings()
    with build_connection(settings) as con:
        loads = land_folder(
            con, settings.raw_dir, "trade", TRADE_FLOWS,
            reader=lambda c, path: read_trade_file(c, path, settings.trade_partners),
        )
        for load in loads:
            context.log.info(f"{load.file}: {load.status}, {load.rows_kept} rows kept")
        rows = con.execute(f"SELECT count(*) FROM raw.{TRADE_FLOWS.name}").fetchall()[0][0]
        by_format = con.sql(
            f"SELECT source_format, count(*) AS rows, min(period_start) AS first_period, max(period_start) AS last_period "
            f"FROM raw.{TRADE_FLOWS.name} GROUP BY 1 ORDER BY 1"
        ).df()
        preview = table_preview(con, f"raw.{TRADE_FLOWS.name}", order_by="ORDER BY _source_file, source_line")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "files": dg.MetadataValue.md(
                "| file | status | rows kept | sha256 |\n|---|---|---|---|\n"
                + "\n".join(f"| {l.file} | {l.status} | {l.rows_kept} | {(l.sha256 or '')[:12]} |" for l in loads)
            ),
            "rows_by_format": dg.MetadataValue.md(by_format.to_markdown(index=False)),
            "preview": preview,
        }
    )
