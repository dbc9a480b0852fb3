"""dbt models as Dagster assets; dbt tests show as asset checks. dbt writes to the build copy."""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from ..settings import DBT_PROJECT_DIR, DBT_TARGET_DIR, load_settings
from ..warehouse import prepare_build

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
    os.environ["KZEU_BUILD_WAREHOUSE"] = str(prepare_build(settings))  # read by profiles.yml
    yield from dbt.cli(["build"], context=context).stream()


def mart_keys() -> list[dg.AssetKey]:
    return [key for key in kzeu_dbt_models.keys if key.path[0] == "marts"]
