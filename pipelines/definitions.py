"""The Dagster code location: assembles assets, checks, jobs and resources; nothing else."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.assets.dbt import dbt_project, kzeu_dbt_models
from pipelines.assets.diplomacy import raw_events, raw_gdelt
from pipelines.assets.downloads import DOWNLOAD_ASSETS
from pipelines.assets.energy import raw_energy
from pipelines.assets.publish import published_warehouse
from pipelines.assets.trade import raw_trade
from pipelines.automation import eurostat_job, eurostat_schedule, gdelt_job, gdelt_schedule, raw_files_sensor
from pipelines.assets.raw_checks import RAW_SUITES
from pipelines.settings import DBT_EXECUTABLE, quiet_environment

quiet_environment()

# The whole graph, raw files to published warehouse: what `kzeu build` and `make run` execute.
build_warehouse_job = dg.define_asset_job(
    "build_warehouse",
    # everything but the downloads, which are partitioned and call out: a build reads raw/ only
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("downloads"),
    description="Land every raw file, validate, build all dbt models and tests, then publish.",
)

defs = dg.Definitions(
    assets=[*DOWNLOAD_ASSETS, raw_trade, raw_energy, raw_events, raw_gdelt, kzeu_dbt_models, published_warehouse],
    asset_checks=RAW_SUITES,
    jobs=[build_warehouse_job, eurostat_job, gdelt_job],
    schedules=[eurostat_schedule, gdelt_schedule],
    sensors=[raw_files_sensor(build_warehouse_job)],
    # dbt from this interpreter's environment, whatever is on PATH.
    resources={"dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)},
    # DuckDB allows one writing process: steps run one after another in one process.
    executor=dg.in_process_executor,
)
