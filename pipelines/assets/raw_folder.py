"""One factory for the raw assets: a domain folder of raw/ lands in its raw table(s).

The per-domain modules (trade.py, energy.py, diplomacy.py) say only which folder, which table
shape and which reader; landing, lineage and the UI metadata are the same for every source.
"""

from collections.abc import Callable

import dagster as dg

from pipelines.core.landing import land_folder
from pipelines.settings import Settings, load_settings
from pipelines.core.tables import RawTable
from pipelines.core.warehouse import build_connection
from pipelines.assets.metadata import table_preview


def raw_key(table: RawTable) -> dg.AssetKey:
    return dg.AssetKey(["raw", table.name])


def raw_folder_asset(
    *,
    domain: str,
    raw_table: RawTable,
    reader: Callable[[Settings], Callable],
    group: str,
    description: str,
    summary_sql: str,
    downloads: tuple[dg.AssetKey, ...] = (),
) -> dg.AssetsDefinition:
    """A (multi-)asset landing raw/<domain> into raw_table and its companions.

    `reader(settings)` gives the loader's reader; `summary_sql` is a per-table summary query
    ({table} is substituted) shown in the UI. `downloads`: the download assets that write files
    into the folder (lineage from publisher to raw table).
    """
    tables = (raw_table, *raw_table.companions)
    specs = [
        dg.AssetSpec(
            raw_key(table),
            group_name=group,
            kinds={"duckdb", "python"},
            description=description if table is raw_table else f"{description} Companion table raw.{table.name}.",
            metadata={"table": f"raw.{table.name}", "dagster/table_name": f"raw.{table.name}"},
            skippable=False,
            deps=downloads,
        )
        for table in tables
    ]

    @dg.multi_asset(name=f"raw_{domain}", specs=specs)
    def _land(context: dg.AssetExecutionContext):
        settings = load_settings()
        with build_connection(settings) as con:
            loads = land_folder(con, settings.raw_dir, domain, raw_table, reader=reader(settings))
            for load in loads:
                context.log.info(f"{load.file}: {load.status}, {load.rows_kept} of {load.rows_read} rows kept")
            files = dg.MetadataValue.md(
                "| file | status | rows read | rows kept | sha256 |\n|---|---|---|---|---|\n"
                + "\n".join(
                    f"| {l.file} | {l.status} | {l.rows_read} | {l.rows_kept} | {(l.sha256 or '')[:12]} |" for l in loads
                )
            )
            for table in tables:
                name = f"raw.{table.name}"
                yield dg.MaterializeResult(
                    asset_key=raw_key(table),
                    metadata={
                        "dagster/row_count": con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0],
                        "files": files,
                        "summary": dg.MetadataValue.md(con.sql(summary_sql.format(table=name)).df().to_markdown(index=False)),
                        "preview": table_preview(con, name, order_by="ORDER BY _source_file, source_line"),
                    },
                )

    return _land
