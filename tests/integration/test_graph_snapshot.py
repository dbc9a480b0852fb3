"""A snapshot of the Dagster graph: a dropped asset, dbt test, schedule or sensor fails here, loudly.

dagster-dbt turns dbt tests into asset checks; a test that silently stops being collected (a typo
in YAML, a renamed model) would otherwise pass every other test. When the graph changes on
purpose, regenerate the snapshot and review its diff:

    KZEU_UPDATE_GRAPH_SNAPSHOT=1 .venv/bin/python -m pytest tests/integration/test_graph_snapshot.py
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent.parent / "snapshots" / "dagster_graph.json"


def graph_snapshot(defs) -> dict:
    """Asset keys with group, kinds and upstream keys; check keys; jobs, schedules, sensors."""
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "kinds": sorted(node.kinds),
            "upstream": sorted(parent.to_user_string() for parent in node.parent_keys),
        }
    checks = sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in graph.asset_check_keys)
    return {
        "assets": assets,
        "asset_checks": checks,
        "jobs": sorted(job.name for job in defs.resolve_all_job_defs() if not job.name.startswith("__")),
        "schedules": sorted(s.name for s in defs.schedules or []),
        "sensors": sorted(s.name for s in defs.sensors or []),
    }


def test_dagster_graph_matches_its_snapshot(dbt_manifest):
    from pipelines.definitions import defs

    current = json.dumps(graph_snapshot(defs), indent=1, sort_keys=True) + "\n"
    if os.environ.get("KZEU_UPDATE_GRAPH_SNAPSHOT"):
        SNAPSHOT.write_text(current)
    expected = SNAPSHOT.read_text()
    diff = "".join(difflib.unified_diff(expected.splitlines(True), current.splitlines(True), "snapshot", "graph"))
    assert current == expected, f"the Dagster graph changed (regenerate the snapshot if on purpose):\n{diff[:6000]}"


def test_snapshot_holds_every_domain_and_its_dbt_tests():
    """The snapshot itself is not empty or stale in shape: raw tables, marts and dbt tests are in it."""
    snapshot = json.loads(SNAPSHOT.read_text())
    assert {"raw/trade_flows", "raw/energy_imports", "raw/gdelt_events", "warehouse/published"} <= set(
        snapshot["assets"]
    )
    checked = {c.split(":")[0] for c in snapshot["asset_checks"]}
    models = {key for key in snapshot["assets"] if key.split("/")[0] in ("staging", "intermediate", "marts")}
    assert models and models <= checked, f"dbt models without a test: {sorted(models - checked)}"
    raw = {key for key in snapshot["assets"] if key.startswith("raw/")}
    assert raw <= checked, f"raw tables without a suite: {sorted(raw - checked)}"
    assert snapshot["schedules"] == ["eurostat_monthly", "gdelt_daily"] and snapshot["sensors"] == ["raw_files_changed"]
