"""dbt models as Dagster assets; dbt tests show as asset checks. dbt writes to the build copy."""

import json
import os
from collections.abc import Mapping
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from pipelines.assets.catalog import OWNERS, dbt_tags, dbt_test_description
from pipelines.assets.metadata import mart_preview
from pipelines.assets.relationship_metadata import relationship_metadata
from pipelines.core.build_state import (
    DBT,
    changed_raw_tables,
    code_version,
    dbt_fingerprint,
    downstream_of,
    excluded_from_build,
    forced,
    forget,
    published_fingerprint,
    raw_table_digests,
    record,
    recorded,
    vars_of_build,
)
from pipelines.core.sql import row_count
from pipelines.core.warehouse import build_connection, prepare_build
from pipelines.settings import DBT_PROJECT_DIR, DBT_TARGET_DIR, load_settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=DBT_TARGET_DIR)
dbt_project.prepare_if_dev()  # only under `dagster dev`; `kzeu build` and tests run `dbt parse`


class KzeuDbtTranslator(DagsterDbtTranslator):
    """Asset keys are warehouse names (marts/fct_trade_monthly); groups are domains. Column names,
    types and descriptions come from dbt's YAML (dagster-dbt's default column schema); owners, tags,
    a link to each model's SQL and a sentence per test are added here."""

    def __init__(self):
        super().__init__(DagsterDbtTranslatorSettings(enable_code_references=True))

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        return {**super().get_tags(dbt_resource_props), **dbt_tags(dbt_resource_props)}

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return super().get_owners(dbt_resource_props) or OWNERS

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=dbt_test_description(manifest["nodes"][unique_id]))

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
            tags={**spec.tags, **dbt_tags(props)},
        )


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=KzeuDbtTranslator())
def kzeu_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    settings = load_settings()
    prepare_build(settings)
    whole = set(context.selected_asset_keys) == set(context.assets_def.keys)  # not a subset picked in the UI
    code = code_version(settings)
    force = forced(context.run.tags)
    with build_connection(settings) as con:
        fingerprint = dbt_fingerprint(con, code)
        if whole and not force and dbt_is_current(con, fingerprint, published_fingerprint(settings)):
            # Nothing upstream changed since the published build: no model is rebuilt, no test rerun,
            # nothing is materialised, so the publish step (downstream) is skipped as well.
            context.log.info("dbt skipped: raw tables and code are those of the published warehouse")
            return
        digests = raw_table_digests(con)
        changed = None if force or not whole else changed_since_last_build(con, code, digests)
        forget(con, DBT)  # killed from here on, the next build runs dbt again, whole
        forget(con, DBT_TABLES)
    # profiles.yml reads the build copy's path from this var: nothing is set in the environment.
    args = ["build", "--vars", vars_of_build(settings)]
    sources = None
    if changed is not None:
        # Only what is downstream of the changed raw tables (dbt's `source:<changed>+`): the other
        # relations of the build copy were built by this code from the same rows.
        manifest = json.loads(Path(dbt_project.manifest_path).read_text())
        sources = dbt_sources_of(manifest, changed)
        excluded = excluded_from_build(manifest, downstream_of(manifest, sources))
        context.log.info(f"dbt builds what is downstream of {', '.join(sorted(changed)) or 'nothing'}")
        args += ["--exclude", " ".join(excluded), "--indirect-selection", "buildable"]
    # dbt holds the DuckDB file while it runs, so row counts and previews are read once it is done.
    events, keys = [], context.assets_def.keys_by_output_name
    if changed is None or sources:  # else no model reads what changed (or the publish failed last time)
        stream = dbt.cli(args, context=context).stream()
        if os.environ.get("KZEU_DBT_COLUMN_LINEAGE") == "1":  # opt-in: docs/ui.md says why it is not the default
            stream = stream.fetch_column_metadata()
        for event in stream:
            events.append(event)
            if isinstance(event, dg.Output) and event.output_name in keys:  # a line per model (kzeu build shows them)
                context.log.info(f"dbt built {'.'.join(keys[event.output_name].path)}")
    described = {
        key: spec.metadata.get("dagster/column_schema") for key, spec in context.assets_def.specs_by_key.items()
    }
    if changed is not None:
        # The models dbt left alone are reported unchanged, so that the publish step runs. First: every
        # ancestor of an unchanged model is unchanged, and Dagster wants a multi-asset's outputs in
        # topological order.
        built = {event.output_name for event in events if isinstance(event, dg.Output)}
        names = {key: name for name, key in keys.items()}
        deps = context.assets_def.asset_deps
        for key in TopologicalSorter({key: deps.get(key, set()) & set(names) for key in names}).static_order():
            if names[key] not in built:
                yield dg.Output(None, output_name=names[key], metadata={"kzeu/unchanged": True})
    with build_connection(settings) as con:
        for event in events:
            yield with_table_metadata(con, event, context.assets_def.keys_by_output_name, described)
        if whole:
            record(con, DBT, fingerprint, code)
            record(con, DBT_TABLES, json.dumps(digests, sort_keys=True), code)


DBT_TABLES = "dbt:raw_tables"  # the build_state step: {raw table: digest} dbt's relations were built from


def changed_since_last_build(con, code: str, digests: dict[str, str]) -> set[str] | None:
    """The raw tables changed since dbt's last whole build under this code (None: build everything)."""
    last, tables = recorded(con, DBT), recorded(con, DBT_TABLES)
    if not last or not tables or last[1] != code or tables[1] != code:
        return None
    return changed_raw_tables(json.loads(tables[0]), digests)


def dbt_sources_of(manifest: dict, tables: set[str]) -> list[str]:
    """The dbt source nodes reading these raw tables (schema.identifier)."""
    return [
        uid
        for uid, source in manifest["sources"].items()
        if f"{source['schema']}.{source.get('identifier') or source['name']}" in tables
    ]


def dbt_is_current(con, fingerprint: str, published: str | None) -> bool:
    """dbt's relations in the build copy were built from `fingerprint`, and so was the published file."""
    return (recorded(con, DBT) or (None,))[0] == fingerprint == published


def column_schema_as_built(con, schema: str, name: str, described: dg.TableSchema | None) -> dg.TableSchema:
    """The relation's columns and DuckDB types as built (views too), with dbt's descriptions."""
    descriptions = {c.name: c.description for c in described.columns} if described else {}
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position",
        [schema, name],
    ).fetchall()
    return dg.TableSchema(
        columns=[dg.TableColumn(name=c, type=t.lower(), description=descriptions.get(c)) for c, t in columns]
    )


def with_table_metadata(con, event, keys_by_output_name, described=None):
    """Column types as built, and the row count (and a preview, for marts) on each materialised dbt table."""
    if not isinstance(event, dg.Output) or event.output_name not in keys_by_output_name:
        return event
    key = keys_by_output_name[event.output_name]
    schema, name = key.path  # keys are [schema, table]
    table = f"{schema}.{name}"
    columns = column_schema_as_built(con, schema, name, (described or {}).get(key))
    metadata = {"dagster/column_schema": columns} if columns.columns else {}
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchall()[0][0]
    if exists:  # views are not counted: that would run their query
        metadata["dagster/row_count"] = row_count(con, table)
        if schema == "marts":
            metadata["preview"] = mart_preview(con, table)
            metadata.update(relationship_metadata(con, table))
    return event.with_metadata({**event.metadata, **metadata})


def mart_keys() -> list[dg.AssetKey]:
    return [key for key in kzeu_dbt_models.keys if key.path[0] == "marts"]
