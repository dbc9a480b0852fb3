"""Publish: the build copy replaces the published warehouse, atomically, after every check passed."""

import dagster as dg

from pipelines.assets.catalog import OWNERS, code_references
from pipelines.assets.dbt import mart_keys
from pipelines.core.build_state import DBT, PUBLISHED, forget, record, recorded
from pipelines.core.warehouse import build_connection, publish, read_connection
from pipelines.settings import REPO_ROOT, load_settings


@dg.asset(
    key=dg.AssetKey(["warehouse", "published"]),
    group_name="publish",
    kinds={"duckdb"},
    deps=mart_keys(),
    owners=OWNERS,
    tags={"layer": "published"},
    metadata={
        "dagster/code_references": code_references(
            [(REPO_ROOT / "pipelines" / "core" / "warehouse.py", "write-audit-publish", None)]
        )
    },
    description=(
        "The published warehouse (KZEU_WAREHOUSE, default warehouse/kzeu.duckdb). Runs only when the "
        "raw suites and all dbt models and tests upstream succeeded; compacts the build copy (when more "
        "than 4% of its blocks are free) and "
        "replaces the file atomically, so readers never see a half-built warehouse. Skipped (with dbt) "
        "when nothing upstream changed since the last publish."
    ),
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = load_settings()
    with build_connection(settings) as con:
        # the dbt fingerprint this build was made from travels with the published file
        built_from = recorded(con, DBT)
        if built_from:
            record(con, PUBLISHED, *built_from)
        else:  # dbt ran on a subset: the next build runs it whole
            forget(con, PUBLISHED)
    given_back = publish(settings)
    path = settings.warehouse
    with read_connection(settings) as con:
        tables = con.sql(
            "SELECT schema_name || '.' || table_name AS table_name, estimated_size AS rows "
            "FROM duckdb_tables() WHERE schema_name IN ('raw', 'marts', 'audit') ORDER BY 1"
        ).df()
    context.log.info(f"published {path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "size_mib": round(path.stat().st_size / 2**20, 2),
            # the share of the build copy's blocks that were free and given back; none: published as it was
            "compacted_free_share": round(given_back, 3) if given_back is not None else "not compacted",
            "tables": dg.MetadataValue.md(tables.to_markdown(index=False)),
        }
    )
