"""dbt models as Dagster assets; dbt tests show as asset checks. dbt writes to the build copy."""

import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipelines.assets.metadata import table_preview
from pipelines.assets.relationship_metadata import relationship_metadata
from pipelines.core.sql import row_count
from pipelines.core.warehouse import build_connection, prepare_build
from pipelines.settings import DBT_PROJECT_DIR, DBT_TARGET_DIR, load_settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=DBT_TARGET_DIR)
dbt_project.prepare_if_dev()  # only under `dagster dev`; `kzeu build` and tests run `dbt parse`


class KzeuDbtTranslator(DagsterDbtTranslator):
    """Asset keys are warehouse names (marts/fct_trade_monthly); groups are domains."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] not in ("model", "seed", "snapshot"):
            return spec
        # fqn: [project, layer, domain, name] for models; [project, name] for seeds
        fqn = props["fqn"]
        group = fqn[2] if props["resource_type"] == "model" and len(fqn) > 3 else "reference"
        return spec.replace_attributes(
            key=dg.AssetKey([props["schema"], props["name"]]),
            group_name=group,
            kinds={"dbt", "duckdb"},
        )


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=KzeuDbtTranslator())
def kzeu_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    settings = load_settings()
    build_copy = prepare_build(settings)
    # profiles.yml reads the build copy's path from this var: nothing is set in the environment.
    args = ["build", "--vars", json.dumps({"build_warehouse": str(build_copy)})]
    # dbt holds the DuckDB file while it runs, so row counts and previews are read once it is done.
    events = list(dbt.cli(args, context=context).stream())
    with build_connection(settings) as con:
        for event in events:
            yield with_table_metadata(con, event, context.assets_def.keys_by_output_name)


def with_table_metadata(con, event, keys_by_output_name):
    """Row count (and a preview, for marts) on each materialised dbt table."""
    if not isinstance(event, dg.Output) or event.output_name not in keys_by_output_name:
        return event
    schema, name = keys_by_output_name[event.output_name].path  # keys are [schema, table]
    table = f"{schema}.{name}"
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchall()[0][0]
    if not exists:  # views are not counted: that would run their query
        return event
    metadata = {"dagster/row_count": row_count(con, table)}
    if schema == "marts":
        metadata["preview"] = table_preview(con, table, limit=5)
        metadata.update(relationship_metadata(con, table))
    return event.with_metadata({**event.metadata, **metadata})


def mart_keys() -> list[dg.AssetKey]:
    return [key for key in kzeu_dbt_models.keys if key.path[0] == "marts"]
