"""Diplomacy: the curated event catalogue (raw/events) and GDELT event files (raw/gdelt)."""

import dagster as dg

from pipelines.domains.diplomacy.readers import read_events_file
from pipelines.domains.diplomacy.readers.event_catalogue import EVENT_CATALOGUE
from pipelines.domains.diplomacy.readers.gdelt_export import read_gdelt_file
from pipelines.domains.diplomacy.schema import GDELT, GDELT_ACTOR_TOTALS
from pipelines.assets.raw_folder import raw_folder_asset, raw_key

RAW_EVENT_CATALOGUE = raw_key(EVENT_CATALOGUE)
RAW_GDELT_EVENTS = raw_key(GDELT)
RAW_GDELT_ACTOR_TOTALS = raw_key(GDELT_ACTOR_TOTALS)

raw_events = raw_folder_asset(
    domain="events",
    raw_table=EVENT_CATALOGUE,
    reader=lambda settings: read_events_file,
    group="diplomacy",
    description=(
        "The curated catalogue of EU-Kazakhstan diplomatic events (raw/events): one row per event, "
        "each with its source URL and the precision of its date."
    ),
    summary_sql=(
        "SELECT event_type, count(*) AS events, min(date_start) AS first, max(date_start) AS last "
        "FROM {table} GROUP BY 1 ORDER BY 2 DESC"
    ),
)

raw_gdelt = raw_folder_asset(
    domain="gdelt",
    raw_table=GDELT,
    reader=lambda settings: read_gdelt_file,
    group="diplomacy",
    description=(
        "GDELT 1.0 daily and 2.0 15-minute event exports (raw/gdelt, plain, gzip or zip): the events "
        "in which an actor or the action location is Kazakhstan, CAMEO and FIPS codes as published; "
        "with per-day totals of all, Kazakh and EU events counted over each whole file."
    ),
    downloads=(dg.AssetKey(["download", "gdelt_events"]),),
    summary_sql=(
        "SELECT source_format, count(*) AS rows, min(event_date) AS first_event, max(event_date) AS last_event "
        "FROM {table} GROUP BY 1 ORDER BY 1"
    ),
)
