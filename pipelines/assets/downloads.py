"""Downloads from the publishers into raw/ (connectors in pipelines/connectors/): partitioned,
retried, with freshness policies. They only write files; the raw assets land them.

Partitions follow the publishers' release rhythm: Eurostat and Comext publish by month,
GDELT by day (2.0 batches every 15 minutes, grouped by UTC day).
"""

from datetime import timedelta

import dagster as dg

from pipelines.connectors import DownloadError, refresh_energy, refresh_gdelt_day, refresh_trade
from pipelines.settings import load_settings
from pipelines.assets.diplomacy import RAW_GDELT_EVENTS
from pipelines.assets.energy import RAW_ENERGY_IMPORTS
from pipelines.assets.trade import RAW_TRADE_FLOWS

# Eurostat's energy import series are complete from 2013 in the snapshot (the crude registers);
# Comext DS-045409 and nrg_ti_* reach back further: backfill from the UI or `kzeu refresh`.
MONTHLY = dg.MonthlyPartitionsDefinition(start_date="2013-01-01", end_offset=0)
# GDELT 2.0 starts on 2015-02-19; its days are UTC.
DAILY = dg.DailyPartitionsDefinition(start_date="2015-02-19", end_offset=0)

# The HTTP client already retries within seconds (connection errors, 429, 5xx). A publisher outage
# lasts longer: the step is retried later, but only for such transient failures
# (DownloadError.transient); a 404 or a checksum mismatch fails at once.
STEP_RETRIES, STEP_RETRY_WAIT_S = 3, 300

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
    return dg.MaterializeResult(metadata={
        "files": dg.MetadataValue.md(table),
        "downloaded": sum(r.status == "downloaded" for r in results),
        "unchanged": sum(r.status == "unchanged" for r in results),
    })


def _download_asset(name: str, partitions, freshness, feeds: dg.AssetKey, description: str, fetch):
    @dg.asset(
        key=dg.AssetKey(["download", name]),
        group_name="downloads",
        kinds={"python"},
        partitions_def=partitions,
        freshness_policy=freshness,
        description=description + f" Lands through {feeds.to_user_string()} on the next build.",
    )
    def _download(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        try:
            results = fetch(load_settings(), context.partition_key)
        except DownloadError as error:
            if error.transient:
                raise dg.RetryRequested(max_retries=STEP_RETRIES, seconds_to_wait=STEP_RETRY_WAIT_S) from error
            raise
        for r in results:
            context.log.info(f"{r.file.name}: {r.status} ({r.bytes:,} bytes) from {r.url}")
        return _result(results)

    return _download


download_trade = _download_asset(
    "eurostat_comext_trade", MONTHLY, MONTHLY_FRESHNESS, RAW_TRADE_FLOWS,
    "Comext DS-045409 SDMX-CSV of the month (EU27 and member states with KZEU_TRADE_PARTNERS, TOTAL "
    "and HS 27, imports and exports) into raw/trade/.",
    lambda settings, key: refresh_trade(settings, month_of(key)),
)
download_energy = _download_asset(
    "eurostat_energy_imports", MONTHLY, MONTHLY_FRESHNESS, RAW_ENERGY_IMPORTS,
    "Eurostat SDMX-CSV of the month for nrg_ti_coifpm (Kazakh grades and all crude) and the "
    "nrg_ti_* datasets (imports from Kazakhstan) into raw/energy/.",
    lambda settings, key: refresh_energy(settings, month_of(key)),
)
download_gdelt = _download_asset(
    "gdelt_events", DAILY, DAILY_FRESHNESS, RAW_GDELT_EVENTS,
    "Every GDELT 2.0 15-minute event export of the UTC day, as masterfilelist.txt lists it "
    "(size and MD5 verified), into raw/gdelt/.",
    lambda settings, key: refresh_gdelt_day(settings, key),
)

DOWNLOAD_ASSETS = [download_trade, download_energy, download_gdelt]
