"""Expectations on the landed diplomatic events: the curated catalogue and GDELT, as plain data."""

from __future__ import annotations

from datetime import datetime

from pipelines.core.landing import LINEAGE_COLUMNS
from pipelines.core.seeds import read_seed
from pipelines.domains.diplomacy.schema import (
    DATE_PRECISIONS,
    EVENT_CATALOGUE_ROW_COLUMNS,
    GDELT_ACTOR_TOTAL_COLUMNS,
    GDELT_EVENT_COLUMNS,
    GDELT_FORMATS,
)

FIRST_EVENT = datetime(1991, 1, 1)  # Kazakhstan's independence: 16 December 1991
FIRST_GDELT_EVENT = datetime(1979, 1, 1)  # GDELT's back file starts in 1979
LINEAGE_NOT_NULL = ("_source_file", "_source_sha256", "_loaded_at")


def event_types() -> list[str]:
    """The controlled vocabulary of event types: one source of truth, the dbt seed."""
    return [row["event_type"] for row in read_seed("diplomatic_event_types")]


def catalogue_expectations(today: datetime) -> list[tuple[str, dict]]:
    return [
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": [*EVENT_CATALOGUE_ROW_COLUMNS, *LINEAGE_COLUMNS]}),
        ("ExpectTableRowCountToBeBetween", {"min_value": 1}),
        *[
            ("ExpectColumnValuesToNotBeNull", {"column": c})
            for c in (
                "event_id",
                "date_start",
                "date_precision",
                "event_type",
                "title",
                "source_url",
                *LINEAGE_NOT_NULL,
            )
        ],
        ("ExpectColumnValuesToBeUnique", {"column": "event_id"}),
        ("ExpectColumnValuesToMatchRegex", {"column": "event_id", "regex": r"^KZEU-[0-9]{4}$"}),
        ("ExpectColumnValuesToBeInSet", {"column": "date_precision", "value_set": list(DATE_PRECISIONS)}),
        ("ExpectColumnValuesToBeInSet", {"column": "event_type", "value_set": event_types()}),
        ("ExpectColumnValuesToMatchRegex", {"column": "source_url", "regex": r"^https?://\S+$"}),
        ("ExpectColumnValuesToBeBetween", {"column": "date_start", "min_value": FIRST_EVENT, "max_value": today}),
        (
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "date_end",
                "column_B": "date_start",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
        ),
    ]


CATALOGUE_ROW_LOCATOR = ["_source_file", "source_line", "event_id"]


def gdelt_event_expectations(today: datetime) -> list[tuple[str, dict]]:
    return [
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": [*GDELT_EVENT_COLUMNS, *LINEAGE_COLUMNS]}),
        *[
            ("ExpectColumnValuesToNotBeNull", {"column": c})
            for c in (
                "global_event_id",
                "event_date",
                "event_code",
                "event_root_code",
                "quad_class",
                "goldstein_scale",
                *LINEAGE_NOT_NULL,
            )
        ],
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["_source_file", "global_event_id"]}),
        ("ExpectColumnValuesToBeInSet", {"column": "source_format", "value_set": list(GDELT_FORMATS)}),
        # CAMEO codes are strings with their leading zeros: root 2 digits, event 3 or 4
        ("ExpectColumnValuesToMatchRegex", {"column": "event_root_code", "regex": r"^[0-9]{2}$"}),
        ("ExpectColumnValuesToMatchRegex", {"column": "event_code", "regex": r"^[0-9]{3,4}$"}),
        ("ExpectColumnValuesToBeInSet", {"column": "quad_class", "value_set": [1, 2, 3, 4]}),
        ("ExpectColumnValuesToBeBetween", {"column": "goldstein_scale", "min_value": -10, "max_value": 10}),
        ("ExpectColumnValuesToBeBetween", {"column": "avg_tone", "min_value": -100, "max_value": 100}),
        *[
            ("ExpectColumnValuesToBeBetween", {"column": c, "min_value": 0})
            for c in ("num_mentions", "num_sources", "num_articles")
        ],
        *[
            ("ExpectColumnValuesToMatchRegex", {"column": c, "regex": r"^[A-Z]{3}$"})
            for c in ("actor1_country_code", "actor2_country_code")
        ],
        *[
            ("ExpectColumnValuesToMatchRegex", {"column": c, "regex": r"^[A-Z]{2}$"})
            for c in ("actor1_geo_country_fips", "actor2_geo_country_fips", "action_geo_country_fips")
        ],
        ("ExpectColumnValuesToBeBetween", {"column": "event_date", "min_value": FIRST_GDELT_EVENT, "max_value": today}),
    ]


GDELT_ROW_LOCATOR = ["_source_file", "source_line", "global_event_id"]


def gdelt_total_expectations(today: datetime) -> list[tuple[str, dict]]:
    return [
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": [*GDELT_ACTOR_TOTAL_COLUMNS, *LINEAGE_COLUMNS]}),
        *[
            ("ExpectColumnValuesToNotBeNull", {"column": c})
            for c in ("event_date", "actor_side", "events", *LINEAGE_NOT_NULL)
        ],
        ("ExpectColumnValuesToBeInSet", {"column": "actor_side", "value_set": ["ALL", "KZ", "EU"]}),
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["_source_file", "event_date", "actor_side"]}),
        ("ExpectColumnValuesToBeBetween", {"column": "events", "min_value": 0}),
        ("ExpectColumnValuesToBeBetween", {"column": "event_date", "min_value": FIRST_GDELT_EVENT, "max_value": today}),
    ]


GDELT_TOTALS_ROW_LOCATOR = ["_source_file", "event_date", "actor_side"]
