"""Expectations on the landed foreign direct investment rows (raw.fdi_by_partner, raw.fdi_by_activity)."""

from __future__ import annotations

from datetime import datetime

from pipelines.core.landing import LINEAGE_COLUMNS
from pipelines.core.seeds import read_seed
from pipelines.domains.finance.schema import (
    DIRECTIONS,
    FDI_BY_ACTIVITY,
    FDI_BY_ACTIVITY_COLUMNS,
    FDI_BY_PARTNER,
    FDI_BY_PARTNER_COLUMNS,
    FORMATS,
)

FIRST_YEAR = 1990  # wiiw's FDI series start in the 1990s at the earliest (Kazakhstan's here in 2000)
# EUR million: Kazakhstan's whole inward stock is about 134,000. A figure beyond a million million
# euros is a unit error (euros or thousands written as millions), never a real position.
MAX_ABS_EUR_MILLION = 1_000_000
STOCKS = ["inward_stock", "outward_stock"]
# NACE sections (A, M-N) and divisions (CA, DD-DE); TOTAL and NEC for wiiw's uncoded labels
ACTIVITY_CODE = r"^(?:TOTAL|NEC|[A-Z]{1,2}(?:-[A-Z]{1,2})?)$"
LINEAGE_NOT_NULL = ("_source_file", "_source_sha256", "_loaded_at")


def _where(condition: str) -> dict:
    """GE's row condition (pandas query) restricting an expectation to some rows."""
    return {"row_condition": condition, "condition_parser": "pandas"}


def _common(columns: list[str], key: tuple[str, ...], today: datetime) -> list[tuple[str, dict]]:
    return [
        # structure
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": [*columns, *LINEAGE_COLUMNS]}),
        ("ExpectTableRowCountToBeBetween", {"min_value": 1}),
        ("ExpectColumnValuesToBeOfType", {"column": "value_eur_million", "type_": "float64"}),
        # completeness
        *[
            ("ExpectColumnValuesToNotBeNull", {"column": c})
            for c in ("source_format", *key, "source_line", *LINEAGE_NOT_NULL)
        ],
        # validity
        ("ExpectColumnValuesToBeInSet", {"column": "source_format", "value_set": list(FORMATS)}),
        ("ExpectColumnValuesToBeInSet", {"column": "direction", "value_set": list(DIRECTIONS.values())}),
        ("ExpectColumnValuesToMatchRegex", {"column": "reporter_code", "regex": r"^[A-Z]{2}$"}),
        ("ExpectColumnValuesToBeBetween", {"column": "year", "min_value": FIRST_YEAR, "max_value": today.year}),
        # uniqueness within a file
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["_source_file", *key], "ignore_row_if": "never"}),
        # plausibility: amounts in EUR million, stock shares of a total within -100..100 %
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "value_eur_million", "min_value": -MAX_ABS_EUR_MILLION, "max_value": MAX_ABS_EUR_MILLION},
        ),
        (
            "ExpectColumnValuesToBeBetween",
            {
                "column": "share_of_total_pct",
                "min_value": -100,
                "max_value": 100,
                **_where(f"direction.isin({STOCKS!r})"),
            },
        ),
    ]


def partner_codes() -> list[str]:
    """wiiw's partner codes: one source of truth, the dbt seed."""
    return [row["partner_code"] for row in read_seed("wiiw_fdi_partners")]


def fdi_by_partner_expectations(today: datetime) -> list[tuple[str, dict]]:
    return [
        *_common(list(FDI_BY_PARTNER_COLUMNS), FDI_BY_PARTNER.key, today),
        ("ExpectColumnValuesToNotBeNull", {"column": "partner_name"}),
        ("ExpectColumnValuesToBeInSet", {"column": "partner_code", "value_set": partner_codes()}),
        # the total over all partners is 100 % of itself, wherever wiiw gives the share
        (
            "ExpectColumnValuesToBeBetween",
            {
                "column": "share_of_total_pct",
                "min_value": 99.999,
                "max_value": 100.001,
                **_where("partner_code == 'WORLD'"),
            },
        ),
    ]


def fdi_by_activity_expectations(today: datetime) -> list[tuple[str, dict]]:
    return [
        *_common(list(FDI_BY_ACTIVITY_COLUMNS), FDI_BY_ACTIVITY.key, today),
        ("ExpectColumnValuesToMatchRegex", {"column": "activity_code", "regex": ACTIVITY_CODE}),
        ("ExpectColumnValuesToMatchRegex", {"column": "classification", "regex": r"^NACE Rev\. [12]$"}),
        (
            "ExpectColumnValuesToBeBetween",
            {
                "column": "share_of_total_pct",
                "min_value": 99.999,
                "max_value": 100.001,
                **_where("activity_code == 'TOTAL'"),
            },
        ),
    ]


PARTNER_ROW_LOCATOR = ["_source_file", "source_line", "direction", "partner_code", "year"]
ACTIVITY_ROW_LOCATOR = ["_source_file", "source_line", "direction", "classification", "activity_code", "year"]
