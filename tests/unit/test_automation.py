"""Schedules, partitions, freshness and the raw-folder sensor."""

from __future__ import annotations

import os

import dagster as dg

from conftest import write


def test_partitions_schedules_and_freshness(dbt_manifest):
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    monthly = graph.get(dg.AssetKey(["download", "eurostat_energy_imports"]))
    daily = graph.get(dg.AssetKey(["download", "gdelt_events"]))
    assert isinstance(monthly.partitions_def, dg.MonthlyPartitionsDefinition)
    assert isinstance(daily.partitions_def, dg.DailyPartitionsDefinition)
    assert monthly.freshness_policy is not None and daily.freshness_policy is not None
    # the downloads feed the raw assets through the raw files: lineage from publisher to warehouse
    files = dg.AssetKey(["raw_files", "gdelt"])
    assert graph.get(dg.AssetKey(["raw", "gdelt_events"])).parent_keys == {files}
    assert daily.key in graph.get(files).parent_keys
    assert defs.resolve_schedule_def("eurostat_monthly").cron_schedule == "0 6 20 * *"
    assert defs.resolve_schedule_def("gdelt_daily").cron_schedule == "30 1 * * *"
    # a build reads raw/ only: the partitioned downloads are not part of it
    build = defs.resolve_job_def("build_warehouse")
    assert not any(k.path[0] == "download" for k in build.asset_layer.executable_asset_keys)


def test_sensor_builds_once_per_change_of_the_raw_folder(settings_env, dbt_manifest):
    from pipelines.definitions import defs

    sensor = defs.resolve_sensor_def("raw_files_changed")
    state = {"cursor": None}

    def tick():
        """One sensor evaluation, carrying the cursor over as the daemon does."""
        context = dg.build_sensor_context(cursor=state["cursor"])
        result = sensor(context)
        state["cursor"] = context.cursor
        return result

    raw = settings_env.raw_dir
    path = write(raw / "trade" / "a.csv", "x\n")
    first = tick()
    assert isinstance(first, dg.RunRequest) and "trade/a.csv" in first.tags["kzeu/changed_files"]
    assert isinstance(tick(), dg.SkipReason)  # the same folder: nothing to do
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # changed
    changed = tick()
    assert isinstance(changed, dg.RunRequest) and changed.run_key != first.run_key
    write(raw / "gdelt" / ".downloads.json", "{}")  # the connectors' state is not a raw file
    assert isinstance(tick(), dg.SkipReason)
    path.unlink()  # a removed file counts too
    removed = tick()
    assert isinstance(removed, dg.RunRequest) and "trade/a.csv" in removed.tags["kzeu/changed_files"]
