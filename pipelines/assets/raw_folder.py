"""One factory for the raw assets: each raw folder of the registry lands in its raw table(s).

The domain packages say which folder, which table shape and which reader (pipelines/domains);
landing, lineage and the UI metadata are the same for every source.
"""

import dagster as dg

from pipelines.assets.catalog import OWNERS, raw_code_references, raw_tags
from pipelines.assets.column_docs import load_manifest, raw_column_schema
from pipelines.assets.metadata import table_preview
from pipelines.core.cost import Cost, measured
from pipelines.core.domain import Domain, RawSource
from pipelines.core.landing import land_folder
from pipelines.core.sql import row_count
from pipelines.core.tables import RawTable
from pipelines.core.warehouse import build_connection
from pipelines.domains import raw_sources
from pipelines.settings import DBT_TARGET_DIR, load_settings


def raw_key(table: RawTable) -> dg.AssetKey:
    return dg.AssetKey(["raw", table.name])


def download_key(name: str) -> dg.AssetKey:
    return dg.AssetKey(["download", name])


def raw_files_key(folder: str) -> dg.AssetKey:
    return dg.AssetKey(["raw_files", folder])


def raw_files_asset(domain: Domain, source: RawSource) -> dg.AssetSpec:
    """raw/<folder> on disk: written by the downloads or by hand, read by the raw asset. An external
    asset (Dagster does not materialise it), so that the build's raw assets have no never-materialised
    download upstream and "Materialize all" on build_warehouse asks for no confirmation."""
    return dg.AssetSpec(
        raw_files_key(source.folder),
        group_name=domain.name,
        kinds={"file"},
        description=f"The files in raw/{source.folder} (KZEU_RAW_DIR): downloaded by the schedules or dropped "
        "in by hand; the sensor raw_files_changed starts a build when they change.",
        deps=[download_key(d.name) for d in source.downloads],
        owners=OWNERS,
        tags={"domain": domain.name, "layer": "files"},
    )


def files_table(loads) -> dg.MarkdownMetadataValue:
    rows = [
        f"| {load.file} | {load.status} | {load.rows_read} | {load.rows_kept} | {(load.sha256 or '')[:12]} |"
        for load in loads
    ]
    return dg.MetadataValue.md(
        "| file | status | rows read | rows kept | sha256 |\n|---|---|---|---|---|\n" + "\n".join(rows)
    )


def cost_metadata(loads, cost: Cost, table: str) -> dict[str, dg.MetadataValue]:
    """This run's cost of landing the folder, as numbers the UI plots over runs (the asset's Plots tab).

    Rows and bytes are those of the files read in this run (an unchanged file is not read) and of this
    table; seconds and peak memory are the folder's landing step, shared by the tables it feeds.
    """
    read = [load for load in loads if load.status == "loaded"]
    mine = [load for load in read if load.raw_table == table]
    return {
        "cost/rows_read": dg.MetadataValue.int(sum(load.rows_read for load in mine)),
        "cost/rows_kept": dg.MetadataValue.int(sum(load.rows_kept for load in mine)),
        "cost/files_read": dg.MetadataValue.int(len(read)),
        "cost/bytes_read": dg.MetadataValue.int(sum(load.size_bytes or 0 for load in read)),
        "cost/seconds": dg.MetadataValue.float(round(cost.seconds, 3)),
        "cost/cpu_seconds": dg.MetadataValue.float(round(cost.cpu_seconds, 3)),
        "cost/peak_memory_mib": dg.MetadataValue.float(round(cost.peak_memory_mib, 1)),
    }


def raw_folder_asset(domain: Domain, source: RawSource) -> dg.AssetsDefinition:
    """A (multi-)asset landing raw/<folder> into the source's raw table and its companions."""
    manifest = load_manifest(DBT_TARGET_DIR / "manifest.json")
    schema_module = f"pipelines.domains.{domain.name}.schema"
    specs = [
        dg.AssetSpec(
            raw_key(table),
            group_name=domain.name,
            kinds={"duckdb", "python"},
            description=source.description
            if table is source.table
            else f"{source.description} Also lands raw.{table.name}.",
            metadata={
                "table": f"raw.{table.name}",
                "dagster/table_name": f"raw.{table.name}",
                "dagster/column_schema": raw_column_schema(table, schema_module, manifest),
                **raw_code_references(domain.name, table),
            },
            owners=OWNERS,
            tags=raw_tags(domain.name, table),
            skippable=False,
            deps=[raw_files_key(source.folder)],
        )
        for table in source.tables
    ]

    @dg.multi_asset(name=f"raw_{source.folder}", specs=specs)
    def _land(context: dg.AssetExecutionContext):
        settings = load_settings()
        with build_connection(settings) as con:
            with measured() as cost:
                loads = land_folder(
                    con, settings.raw_dir, source.folder, source.table, source.reader(settings), source.other_tables
                )
            for load in loads:
                context.log.info(f"{load.file}: {load.status}, {load.rows_kept} of {load.rows_read} rows kept")
            files = files_table(loads)
            for table in source.tables:
                name = f"raw.{table.name}"
                summary = con.sql(source.summary_for(table.name).format(table=name)).df().to_markdown(index=False)
                yield dg.MaterializeResult(
                    asset_key=raw_key(table),
                    metadata={
                        "dagster/row_count": row_count(con, name),
                        "files": files,
                        "summary": dg.MetadataValue.md(summary),
                        "preview": table_preview(con, name, order_by="ORDER BY _source_file, source_line"),
                        **cost_metadata(loads, cost, name),
                    },
                )

    return _land


def raw_assets() -> list[dg.AssetsDefinition | dg.AssetSpec]:
    """Per raw folder: its files (an external asset) and the asset landing them."""
    return [
        asset
        for domain, source in raw_sources()
        for asset in (raw_files_asset(domain, source), raw_folder_asset(domain, source))
    ]
