"""When things run: the schedules that download from the publishers, and the sensor that builds
when raw files change. A download only writes files into raw/; the sensor notices them (and files
dropped in by hand) and starts one build, which publishes only if every check passes.
"""

import hashlib
import json

import dagster as dg

from pipelines.assets.downloads import download_asset_keys
from pipelines.core.landing import raw_files
from pipelines.domains import raw_folders
from pipelines.settings import load_settings

eurostat_job = dg.define_asset_job(
    "download_eurostat_month",
    selection=dg.AssetSelection.assets(*download_asset_keys("monthly")),
    description="Download the month's Comext and Eurostat energy files into raw/ (one monthly partition).",
)
gdelt_job = dg.define_asset_job(
    "download_gdelt_day",
    selection=dg.AssetSelection.assets(*download_asset_keys("daily")),
    description="Download the day's GDELT 2.0 event exports into raw/gdelt/ (one daily partition).",
)

# Eurostat releases monthly figures around mid-month; GDELT's day is complete after 00:00 UTC.
eurostat_schedule = dg.build_schedule_from_partitioned_job(
    eurostat_job,
    day_of_month=20,
    hour_of_day=6,
    name="eurostat_monthly",
    description="On the 20th at 06:00 UTC, download the month just ended from Eurostat and Comext.",
)
gdelt_schedule = dg.build_schedule_from_partitioned_job(
    gdelt_job,
    hour_of_day=1,
    minute_of_hour=30,
    name="gdelt_daily",
    description="At 01:30 UTC, download yesterday's GDELT event exports.",
)


def raw_folder_state(raw_dir) -> dict[str, list]:
    """file -> [size, mtime_ns] of every data file of the domain folders (what landing compares)."""
    state = {}
    for folder in raw_folders():
        for path in raw_files(raw_dir / folder):
            stat = path.stat()
            state[f"{folder}/{path.name}"] = [stat.st_size, stat.st_mtime_ns]
    return state


def changed_files(before: dict, now: dict) -> list[str]:
    return sorted({f for f in now if before.get(f) != now[f]} | (set(before) - set(now)))


def raw_files_sensor(build_job) -> dg.SensorDefinition:
    @dg.sensor(
        name="raw_files_changed",
        job=build_job,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.STOPPED,  # turned on in the UI (Automation), like the schedules
        description="Starts a build when a file in raw/ is added, changed or removed (downloads or by hand).",
    )
    def _sensor(context: dg.SensorEvaluationContext):
        now = raw_folder_state(load_settings().raw_dir)
        before = json.loads(context.cursor) if context.cursor else {}
        changed = changed_files(before, now)
        if not changed:
            return dg.SkipReason("no raw file added, changed or removed")
        context.update_cursor(json.dumps(now, sort_keys=True))
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        # run_key: the same folder state never starts two builds
        key = hashlib.sha256(json.dumps(now, sort_keys=True).encode()).hexdigest()[:16]
        return dg.RunRequest(run_key=key, tags={"kzeu/changed_files": shown[:200]})

    return _sensor
