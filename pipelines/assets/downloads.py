"""Downloads from the publishers into raw/ (connectors in pipelines/connectors/): partitioned,
retried, with freshness policies. They only write files; the raw assets land them.

Partitions follow the publishers' release rhythm: Eurostat and Comext publish by month,
GDELT by day (2.0 batches every 15 minutes, grouped by UTC day).
"""

from datetime import timedelta

import dagster as dg

from pipelines.assets.catalog import OWNERS, code_references
from pipelines.assets.raw_folder import download_key, raw_files_key, raw_key
from pipelines.connectors import DownloadError
from pipelines.core.domain import Download, RawSource
from pipelines.domains import downloads, raw_sources
from pipelines.settings import REPO_ROOT, load_settings

# Eurostat's energy import series are complete from 2013 in the snapshot (the crude registers);
# Comext DS-045409 and nrg_ti_* reach back further: backfill from the UI or `kzeu refresh`.
MONTHLY = dg.MonthlyPartitionsDefinition(start_date="2013-01-01", end_offset=0)
# GDELT 2.0 starts on 2015-02-19; its days are UTC.
DAILY = dg.DailyPartitionsDefinition(start_date="2015-02-19", end_offset=0)

# The HTTP client already retries within seconds (connection errors, 429, 5xx). A publisher outage
# lasts longer: the step is retried later, but only for such transient failures
# (DownloadError.transient); a 404 or a checksum mismatch fails at once.
STEP_RETRIES, STEP_RETRY_WAIT_S = 3, 300
# A run tagged with this many step retries uses them instead (`kzeu refresh` by hand: 0, and it retries
# itself with --retries, saying when the next try is).
STEP_RETRIES_TAG = "kzeu/step_retries"


def step_retries(run_tags: dict[str, str]) -> int:
    value = run_tags.get(STEP_RETRIES_TAG, "")
    return int(value) if value.isdigit() else STEP_RETRIES


# Eurostat updates monthly (around mid-month): a month without a download is late.
MONTHLY_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(days=45), warn_window=timedelta(days=35))
DAILY_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(days=2), warn_window=timedelta(days=1))


def month_of(partition_key: str) -> str:
    """'2024-03-01' (a monthly partition key) -> '2024-03' (the publishers' period)."""
    return partition_key[:7]


def _result(results) -> dg.MaterializeResult:
    table = "| file | status | bytes |\n|---|---|---|\n" + "\n".join(
        f"| {r.file.name} | {r.status} | {r.bytes:,} |" for r in results
    )
    return dg.MaterializeResult(
        metadata={
            "files": dg.MetadataValue.md(table),
            "downloaded": sum(r.status == "downloaded" for r in results),
            "unchanged": sum(r.status == "unchanged" for r in results),
        }
    )


PARTITIONS = {"monthly": MONTHLY, "daily": DAILY}
FRESHNESS = {"monthly": MONTHLY_FRESHNESS, "daily": DAILY_FRESHNESS}


def download_asset(source: RawSource, download: Download) -> dg.AssetsDefinition:
    feeds = raw_key(source.table).to_user_string()
    folder = raw_files_key(source.folder).to_user_string()

    @dg.asset(
        key=download_key(download.name),
        group_name="downloads",
        kinds={"python"},
        partitions_def=PARTITIONS[download.cadence],
        freshness_policy=FRESHNESS[download.cadence],
        description=f"{download.description} Writes {folder}; lands through {feeds} on the next build.",
        owners=OWNERS,
        tags={"domain": domain_of(source), "layer": "download"}
        | {f"dataset/{d}": "" for d in source.table.datasets}
        | {f"publisher/{p}": "" for p in source.table.publishers},
        metadata={
            "dagster/code_references": code_references(
                [(REPO_ROOT / "pipelines" / "connectors" / "__init__.py", "connectors: one refresh per source", None)]
            )
        },
    )
    def _download(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        key = context.partition_key
        period = month_of(key) if download.cadence == "monthly" else key
        try:
            results = download.fetch(load_settings(), period)
        except DownloadError as error:
            retries = step_retries(context.run.tags)
            if error.transient and retries:
                raise dg.RetryRequested(max_retries=retries, seconds_to_wait=STEP_RETRY_WAIT_S) from error
            raise
        for r in results:
            context.log.info(f"{r.file.name}: {r.status} ({r.bytes:,} bytes) from {r.url}")
        return _result(results)

    return _download


def domain_of(source: RawSource) -> str:
    return next(domain.name for domain, each in raw_sources() if each is source)


def download_assets() -> list[dg.AssetsDefinition]:
    return [download_asset(source, download) for source, download in downloads()]


def download_asset_keys(cadence: str) -> list[dg.AssetKey]:
    """The download assets of one release rhythm (the schedules' jobs select them)."""
    return [download_key(d.name) for _, d in downloads() if d.cadence == cadence]
