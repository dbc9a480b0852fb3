"""The shapes the diplomacy readers land: the curated event catalogue, GDELT's Kazakhstan events,
and every GDELT file's per-day actor totals."""

from __future__ import annotations

from pipelines.core.tables import RawTable

DATE_PRECISIONS = ("day", "month", "year")

EVENT_CATALOGUE_ROW_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",  # event_catalogue
    "event_id": "VARCHAR",  # KZEU-0001, ...
    "date_start": "DATE",
    "date_end": "DATE",  # NULL for one-day events
    "date_precision": "VARCHAR",  # day | month | year: how much of date_start the source confirms
    "event_type": "VARCHAR",  # controlled vocabulary (dbt seed diplomatic_event_types)
    "title": "VARCHAR",
    "location": "VARCHAR",
    "participants": "VARCHAR",  # ';'-separated actor codes (EU, KAZ, member-state ISO3, OSCE, ...)
    "source_url": "VARCHAR",
    "notes": "VARCHAR",
    "source_line": "BIGINT",
}

EVENT_CATALOGUE = RawTable(
    name="event_catalogue",
    columns=EVENT_CATALOGUE_ROW_COLUMNS,
    key=("event_id",),
    not_null=("event_id", "date_start", "event_type", "title", "source_url"),
    formats=("event_catalogue",),
    publishers=("kzeu-catalogue",),
    datasets=("kzeu-diplomatic-events",),
)


GDELT_FORMATS = ("gdelt1_daily", "gdelt2_export")

# Column -> DuckDB type of `raw.gdelt_events`: the events in which an actor or the action
# location is Kazakhstan. Codes stay strings as GDELT writes them (CAMEO '043', FIPS 'KZ').
GDELT_EVENT_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",  # gdelt1_daily | gdelt2_export
    "global_event_id": "BIGINT",
    "event_date": "DATE",  # SQLDATE
    "date_added": "TIMESTAMP",  # DATEADDED (1.0: the day; 2.0: the 15-minute batch, UTC)
    "actor1_code": "VARCHAR",
    "actor1_name": "VARCHAR",
    "actor1_country_code": "VARCHAR",  # CAMEO country code (ISO3-like: KAZ, DEU, ...)
    "actor1_known_group_code": "VARCHAR",  # e.g. EEC for the European Union
    "actor1_type1_code": "VARCHAR",
    "actor2_code": "VARCHAR",
    "actor2_name": "VARCHAR",
    "actor2_country_code": "VARCHAR",
    "actor2_known_group_code": "VARCHAR",
    "actor2_type1_code": "VARCHAR",
    # pipelines/domains/diplomacy/actors.py decides these, for the kept rows and the per-day totals alike
    "actor1_is_kz": "BOOLEAN",
    "actor2_is_kz": "BOOLEAN",
    "actor1_is_eu": "BOOLEAN",  # the EU itself (known group EEC) or a member state
    "actor2_is_eu": "BOOLEAN",
    "is_root_event": "BOOLEAN",
    "event_code": "VARCHAR",  # CAMEO, leading zeros kept
    "event_base_code": "VARCHAR",
    "event_root_code": "VARCHAR",
    "quad_class": "INTEGER",  # 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict
    "goldstein_scale": "DOUBLE",  # -10 .. +10
    "num_mentions": "INTEGER",
    "num_sources": "INTEGER",
    "num_articles": "INTEGER",
    "avg_tone": "DOUBLE",
    "actor1_geo_country_fips": "VARCHAR",  # FIPS 10-4, as GDELT writes geo codes
    "actor2_geo_country_fips": "VARCHAR",
    "action_geo_country_fips": "VARCHAR",
    "action_geo_full_name": "VARCHAR",
    "action_geo_lat": "DOUBLE",
    "action_geo_long": "DOUBLE",
    "source_url": "VARCHAR",  # SOURCEURL (absent in some 1.0 rows)
    "source_line": "BIGINT",  # line in the file (no header: line 1 is the first event)
}

GDELT_EVENTS = RawTable(
    name="gdelt_events",
    columns=GDELT_EVENT_COLUMNS,
    key=("global_event_id",),
    not_null=("global_event_id", "event_date", "event_root_code"),
    formats=GDELT_FORMATS,
    publishers=("gdelt",),
    datasets=("gdelt-events-1.0", "gdelt-events-2.0"),
    rows_required=False,  # most 15-minute batches hold no Kazakh event; their totals still count
)

# One row per file, event day and actor side, counted over the WHOLE file: the denominators
# that normalise the dyad's counts ("each side's total events"), since GDELT's volume changes.
GDELT_ACTOR_TOTAL_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",
    "event_date": "DATE",
    "actor_side": "VARCHAR",  # ALL (every event) | KZ (an actor is Kazakh) | EU (an actor is the EU or a member state)
    "events": "BIGINT",
    "source_line": "BIGINT",  # NULL: an aggregate of the file
}

GDELT_ACTOR_TOTALS = RawTable(
    name="gdelt_actor_totals",
    columns=GDELT_ACTOR_TOTAL_COLUMNS,
    key=("event_date", "actor_side"),
    not_null=("event_date", "actor_side", "events"),
    formats=GDELT_FORMATS,
    publishers=("gdelt",),
    datasets=("gdelt-events-1.0", "gdelt-events-2.0"),
)

GDELT = GDELT_EVENTS._replace(companions=(GDELT_ACTOR_TOTALS,))


# Column -> DuckDB type of `raw.icews_events`: rows of a SAMPLE of ICEWS (temporal knowledge-graph
# subsets: source actor, CAMEO event text, target actor, day), actors and labels as written.
ICEWS_EVENT_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",  # icews_kg_tsv
    "source_actor": "VARCHAR",  # as ICEWS writes it: 'Kazakhstan', 'Citizen (Kazakhstan)', 'Angela Merkel'
    "event_text": "VARCHAR",  # the CAMEO event label ('Make a visit'); the subsets drop the code
    "target_actor": "VARCHAR",
    "event_date": "DATE",
    "origin_dataset": "VARCHAR",  # the subset the row comes from: ICEWS05-15, ICEWS14, ICEWS18
    "origin_split": "VARCHAR",  # its split: train | valid | test
    "origin_repo_file": "VARCHAR",  # as written: the repository and file the row was taken from
    "source_line": "BIGINT",
}

ICEWS_EVENTS = RawTable(
    name="icews_events",
    columns=ICEWS_EVENT_COLUMNS,
    key=("source_actor", "event_text", "target_actor", "event_date", "origin_repo_file"),
    not_null=("source_actor", "event_text", "target_actor", "event_date", "origin_dataset", "origin_split"),
    formats=("icews_kg_tsv",),
    publishers=("icews",),
    datasets=("ICEWS05-15", "ICEWS14", "ICEWS18"),
)
