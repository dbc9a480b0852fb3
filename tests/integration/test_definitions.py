"""The Dagster graph: one lineage from raw file to published warehouse, checks blocking."""

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg


def test_definitions_load_with_one_lineage(dbt_manifest):
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "raw/trade_flows",
        "staging/stg_trade__flows",
        "marts/fct_trade_monthly",
        "marts/fct_trade_annual",
        "marts/fct_trade_balance_monthly",
        "marts/fct_trade_balance_annual",
        "warehouse/published",
    } <= keys
    # the dbt source is the Dagster raw asset: no gap in lineage
    staging = graph.get(dg.AssetKey(["staging", "stg_trade__flows"]))
    assert dg.AssetKey(["raw", "trade_flows"]) in staging.parent_keys
    publish = graph.get(dg.AssetKey(["warehouse", "published"]))
    assert dg.AssetKey(["marts", "fct_trade_balance_annual"]) in publish.parent_keys
    assert graph.get(dg.AssetKey(["marts", "fct_trade_monthly"])).group_name == "trade"


def test_all_three_domains_in_one_lineage_graph(dbt_manifest):
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    sources = {
        ("raw", "energy_imports"): ("staging", "stg_energy__observations"),
        ("raw", "event_catalogue"): ("staging", "stg_diplomacy__catalogue_events"),
        ("raw", "gdelt_events"): ("staging", "stg_diplomacy__gdelt_events"),
        ("raw", "gdelt_actor_totals"): ("staging", "stg_diplomacy__gdelt_actor_totals"),
    }
    for raw, staging in sources.items():
        assert dg.AssetKey(list(raw)) in graph.get(dg.AssetKey(list(staging))).parent_keys
    publish = graph.get(dg.AssetKey(["warehouse", "published"])).parent_keys
    marts = {k for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    assert marts <= publish  # nothing is published before every mart is built and tested
    groups = {
        graph.get(dg.AssetKey(["marts", m])).group_name
        for m in ("fct_energy_supplier_share_annual", "fct_diplomatic_events", "fct_relationship_annual")
    }
    assert groups == {"energy", "diplomacy", "relationship"}
    relationship = graph.get(dg.AssetKey(["marts", "fct_relationship_annual"]))
    upstream = {k.path[1] for k in relationship.parent_keys}
    assert {"fct_trade_balance_annual", "fct_energy_supplier_share_annual", "fct_diplomatic_events"} <= upstream


def test_raw_suite_is_a_blocking_check(dbt_manifest):
    from pipelines.definitions import defs

    checks = {spec.name: spec for check in defs.asset_checks for spec in check.check_specs}
    for table in ("trade_flows", "energy_imports", "event_catalogue", "gdelt_events", "gdelt_actor_totals"):
        assert checks[f"raw_{table}_suite"].blocking
    dbt_checks = [k for k in defs.resolve_asset_graph().asset_check_keys if k.asset_key.path[0] == "marts"]
    assert dbt_checks, "dbt tests should show as asset checks on the marts"


def test_dagster_definitions_validate(dbt_manifest):
    dagster = Path(sys.executable).parent / "dagster"
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "pipelines.definitions"],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "All code locations passed validation" in result.stdout + result.stderr


def test_build_warehouse_has_no_never_materialised_upstream(dbt_manifest):
    """ "Materialize all" asks for a confirmation when a selected asset depends on a materialisable asset
    outside the run: the downloads reach the raw assets only through the raw files (external assets)."""
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    job = defs.resolve_job_def("build_warehouse")
    selected = set(job.asset_layer.selected_asset_keys)
    for key in selected:
        for parent in graph.get(key).parent_keys:
            assert parent in selected or not graph.get(parent).is_materializable, (key, parent)
    raw = graph.get(dg.AssetKey(["raw", "trade_flows"]))
    assert raw.parent_keys == {dg.AssetKey(["raw_files", "trade"])}
    files = graph.get(dg.AssetKey(["raw_files", "trade"]))
    assert dg.AssetKey(["download", "eurostat_comext_trade"]) in files.parent_keys


def test_the_catalogue_describes_columns_tests_owners_and_code(dbt_manifest):
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        assert node.owners, key
        assert node.tags.get("domain") or key.path[0] in ("warehouse", "download") or node.group_name == "reference"
        if key.path[0] in ("raw", "staging", "intermediate", "marts"):
            columns = node.metadata["dagster/column_schema"].columns
            assert columns and all(c.description for c in columns if key.path[0] == "marts"), key
            assert "dagster/code_references" in node.metadata, key
    mart = graph.get(dg.AssetKey(["marts", "fct_trade_balance_annual"]))
    assert all(c.type != "?" and c.description for c in mart.metadata["dagster/column_schema"].columns)
    raw = graph.get(dg.AssetKey(["raw", "trade_flows"]))
    assert raw.tags["publisher/eurostat"] == "" and raw.tags["dataset/DS-045409"] == ""
    assert {c.name: c.type for c in raw.metadata["dagster/column_schema"].columns}["value_eur"] == "DOUBLE"
    for check_key in graph.asset_check_keys:
        assert graph.get_check_spec(check_key).description, check_key
