"""The Dagster code location: assembles assets, checks, jobs and resources from the registry; nothing else.

Importing it writes no file and changes no environment variable: `kzeu` (pipelines/cli.py) and the
Makefile set telemetry off and DAGSTER_HOME before Dagster starts.
"""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.assets.dbt import dbt_project, kzeu_dbt_models
from pipelines.assets.downloads import download_assets
from pipelines.assets.publish import published_warehouse
from pipelines.assets.raw_checks import raw_suite_checks
from pipelines.assets.raw_folder import raw_assets
from pipelines.assets.report import report
from pipelines.automation import eurostat_job, eurostat_schedule, gdelt_job, gdelt_schedule, raw_files_sensor
from pipelines.progress import LOGGERS
from pipelines.settings import DBT_EXECUTABLE

# The whole graph, raw files to published warehouse: what `kzeu build` and `make run` execute.
build_warehouse_job = dg.define_asset_job(
    "build_warehouse",
    # everything but the downloads, which are partitioned and call out: a build reads raw/ only
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("downloads"),
    description="Land every raw file, validate, build all dbt models and tests, publish, then write the report.",
)

defs = dg.Definitions(
    assets=[*download_assets(), *raw_assets(), kzeu_dbt_models, published_warehouse, report],
    asset_checks=raw_suite_checks(),
    jobs=[build_warehouse_job, eurostat_job, gdelt_job],
    schedules=[eurostat_schedule, gdelt_schedule],
    sensors=[raw_files_sensor(build_warehouse_job)],
    # dbt from this interpreter's environment, whatever is on PATH.
    resources={"dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)},
    # DuckDB allows one writing process: steps run one after another in one process.
    executor=dg.in_process_executor,
    # Dagster's console logger, and the progress lines `kzeu build` and `kzeu refresh` ask for in their run config
    loggers=LOGGERS,
)
