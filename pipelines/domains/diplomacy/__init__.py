"""Diplomacy: the curated catalogue of EU-Kazakhstan events, and GDELT's machine-coded events.

Journeys: raw/events -> readers/event_catalogue -> raw.event_catalogue, and readers/icews_kg_tsv ->
raw.icews_events (a SAMPLE of ICEWS, never counted with GDELT or the catalogue); raw/gdelt ->
readers/gdelt_export (actor rules in actors.py) -> raw.gdelt_events and raw.gdelt_actor_totals;
schema.py, suite.py -> dbt staging/diplomacy -> marts/diplomacy.
"""

from pipelines.connectors import refresh_gdelt_day
from pipelines.core.domain import Domain, Download, RawSource, Suite
from pipelines.domains.diplomacy.readers import read_events_file, read_gdelt_file
from pipelines.domains.diplomacy.schema import EVENT_CATALOGUE, GDELT, ICEWS_EVENTS
from pipelines.domains.diplomacy.suite import (
    CATALOGUE_ROW_LOCATOR,
    GDELT_ROW_LOCATOR,
    GDELT_TOTALS_ROW_LOCATOR,
    ICEWS_ROW_LOCATOR,
    catalogue_expectations,
    gdelt_event_expectations,
    gdelt_total_expectations,
    icews_expectations,
)

DOMAIN = Domain(
    name="diplomacy",
    sources=(
        RawSource(
            folder="events",
            table=EVENT_CATALOGUE,
            reader=lambda settings: read_events_file,
            suites={
                "event_catalogue": Suite(
                    catalogue_expectations,
                    tuple(CATALOGUE_ROW_LOCATOR),
                    "Great Expectations suite on the diplomatic-event catalogue: unique event ids, event types "
                    "from the seed vocabulary, date precision day/month/year, dates 1991..today and ordered, a "
                    "source URL on every row.",
                ),
                "icews_events": Suite(
                    icews_expectations,
                    tuple(ICEWS_ROW_LOCATOR),
                    "Great Expectations suite on the ICEWS sample rows: every actor placed on a side by the seed "
                    "icews_actors, dataset and split of the seed icews_sample_coverage, event days 1995..today, "
                    "one row per actor pair, label, day and origin within a file.",
                ),
            },
            description=(
                "The curated catalogue of EU-Kazakhstan diplomatic events (raw/events): one row per event, "
                "each with its source URL and the precision of its date. ICEWS event rows with Kazakhstan "
                "(temporal knowledge-graph subsets: a SAMPLE of ICEWS, not all of it) land in raw.icews_events."
            ),
            summary_sql=(
                "SELECT event_type, count(*) AS events, min(date_start) AS first, max(date_start) AS last "
                "FROM {table} GROUP BY 1 ORDER BY 2 DESC"
            ),
            other_tables=(ICEWS_EVENTS,),
            other_summaries={
                "icews_events": "SELECT origin_dataset, origin_split, count(*) AS rows, min(event_date) AS first, "
                "max(event_date) AS last FROM {table} GROUP BY ALL ORDER BY ALL",
            },
        ),
        RawSource(
            folder="gdelt",
            table=GDELT,
            reader=lambda settings: read_gdelt_file,
            suites={
                "gdelt_events": Suite(
                    gdelt_event_expectations,
                    tuple(GDELT_ROW_LOCATOR),
                    "Great Expectations suite on the landed GDELT events: unique event ids within a file, CAMEO "
                    "codes as zero-padded strings, QuadClass 1..4, Goldstein within -10..10, tone within "
                    "-100..100, ISO3 actor and FIPS geo code shapes, event dates 1979..today.",
                ),
                "gdelt_actor_totals": Suite(
                    gdelt_total_expectations,
                    tuple(GDELT_TOTALS_ROW_LOCATOR),
                    "Great Expectations suite on GDELT's per-day actor totals: sides ALL/KZ/EU, non-negative "
                    "counts, one row per file, day and side.",
                ),
            },
            description=(
                "GDELT 1.0 daily and 2.0 15-minute event exports (raw/gdelt, plain, gzip or zip): the events "
                "in which an actor or the action location is Kazakhstan, CAMEO and FIPS codes as published; "
                "with per-day totals of all, Kazakh and EU events counted over each whole file."
            ),
            summary_sql=(
                "SELECT source_format, count(*) AS rows, min(event_date) AS first_event, "
                "max(event_date) AS last_event FROM {table} GROUP BY 1 ORDER BY 1"
            ),
            downloads=(
                Download(
                    "gdelt_events",
                    "daily",
                    lambda settings, day: refresh_gdelt_day(settings, day),
                    "Every GDELT 2.0 15-minute event export of the UTC day, as masterfilelist.txt lists it "
                    "(size and MD5 verified), into raw/gdelt/.",
                ),
            ),
        ),
    ),
)
