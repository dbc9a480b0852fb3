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
    assert {"raw/trade_flows", "staging/stg_trade__flows", "marts/fct_trade_monthly", "marts/fct_trade_annual",
            "marts/fct_trade_balance_monthly", "marts/fct_trade_balance_annual", "warehouse/published"} <= keys
    # the dbt source is the Dagster raw asset: no gap in lineage
    staging = graph.get(dg.AssetKey(["staging", "stg_trade__flows"]))
    assert dg.AssetKey(["raw", "trade_flows"]) in staging.parent_keys
    publish = graph.get(dg.AssetKey(["warehouse", "published"]))
    assert dg.AssetKey(["marts", "fct_trade_balance_annual"]) in publish.parent_keys
    assert graph.get(dg.AssetKey(["marts", "fct_trade_monthly"])).group_name == "trade"


def test_raw_suite_is_a_blocking_check(dbt_manifest):
    from pipelines.definitions import defs

    checks = {spec.name: spec for check in defs.asset_checks for spec in check.check_specs}
    assert checks["raw_trade_flows_suite"].blocking
    dbt_checks = [k for k in defs.resolve_asset_graph().asset_check_keys if k.asset_key.path[0] == "marts"]
    assert dbt_checks, "dbt tests should show as asset checks on the marts"


def test_dagster_definitions_validate(dbt_manifest):
    dagster = Path(sys.executable).parent / "dagster"
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "pipelines.definitions"],
        capture_output=True, text=True, env={**os.environ}, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "All code locations passed validation" in result.stdout + result.stderr
