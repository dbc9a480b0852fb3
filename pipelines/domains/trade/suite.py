"""Expectations on the landed trade rows (raw.trade_flows), as plain data: no GE import here."""

from __future__ import annotations

from datetime import datetime

from pipelines.core.geo import GEO_CODE_PATTERN
from pipelines.core.landing import LINEAGE_COLUMNS
from pipelines.core.seeds import read_seed
from pipelines.core.tables import RawTable
from pipelines.domains.trade.schema import (
    COMEXT_BULK_EXTRACT_FLOWS,
    COMEXT_DATABROWSER_FLOWS,
    TRADE_FLOWS,
    TRADE_ROW_COLUMNS,
)

PRODUCT_CODE = r"^(?:TOTAL|[0-9]{2}(?:[0-9X]{2}(?:[0-9X]{2}(?:[0-9X]{2})?)?)?|[0-9X]{8})$"
# A single trade figure above EUR 5 trillion exceeds all extra-EU trade of a year: a unit error.
MAX_PLAUSIBLE_VALUE_EUR = 5e12
FIRST_COMEXT_PERIOD = datetime(1988, 1, 1)  # DS-045409: EU trade since 1988


def trade_expectations(today: datetime) -> list[tuple[str, dict]]:
    """(GE expectation class name, kwargs) for raw.trade_flows; each guards one quality dimension."""
    columns = [*TRADE_ROW_COLUMNS, *LINEAGE_COLUMNS]
    key = ["_source_file", "reporter_code", "partner_code", "product_code", "flow", "stat_procedure", "period_code"]
    return [
        # structure
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": columns}),
        ("ExpectTableRowCountToBeBetween", {"min_value": 1}),
        ("ExpectColumnValuesToBeOfType", {"column": "value_eur", "type_": "float64"}),
        ("ExpectColumnValuesToBeOfType", {"column": "period_start", "type_": "datetime64[us]"}),
        # completeness of keys and lineage
        *[
            ("ExpectColumnValuesToNotBeNull", {"column": c})
            for c in (*key, "period_start", "_source_sha256", "_loaded_at")
        ],
        # validity: codes in their sets
        ("ExpectColumnValuesToBeInSet", {"column": "flow", "value_set": ["import", "export"]}),
        ("ExpectColumnValuesToBeInSet", {"column": "period_freq", "value_set": ["M", "A"]}),
        ("ExpectColumnValuesToBeInSet", {"column": "source_format", "value_set": list(TRADE_FLOWS.formats)}),
        ("ExpectColumnValuesToMatchRegex", {"column": "reporter_code", "regex": GEO_CODE_PATTERN}),
        ("ExpectColumnValuesToMatchRegex", {"column": "partner_code", "regex": GEO_CODE_PATTERN}),
        ("ExpectColumnValuesToMatchRegex", {"column": "product_code", "regex": PRODUCT_CODE}),
        ("ExpectColumnValuesToMatchRegex", {"column": "period_code", "regex": r"^[12][0-9]{3}(?:0[1-9]|1[0-2]|52)$"}),
        # uniqueness: one row per key within a file (across files, dbt's precedence rule decides)
        ("ExpectCompoundColumnsToBeUnique", {"column_list": key}),
        # accuracy and plausibility
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "value_eur", "min_value": 0, "max_value": MAX_PLAUSIBLE_VALUE_EUR},
        ),
        ("ExpectColumnValuesToBeBetween", {"column": "quantity_kg", "min_value": 0}),
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "period_start", "min_value": FIRST_COMEXT_PERIOD, "max_value": today},
        ),
        ("ExpectColumnProportionOfNonNullValuesToBeBetween", {"column": "value_eur", "min_value": 0.5}),
    ]


# Columns that locate a failing row in its file, shown with every sample.
ROW_LOCATOR = ["_source_file", "source_line", "reporter_code", "partner_code", "product_code", "flow", "period_code"]


def _cn8_extract_expectations(
    table: RawTable, today: datetime, regexes: dict[str, str], sets: dict[str, list]
) -> list[tuple[str, dict]]:
    """What every partial CN8 extract table is checked for: structure, keys, codes, values, periods."""
    key = ["_source_file", *table.key]
    return [
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": [*table.columns, *LINEAGE_COLUMNS]}),
        ("ExpectTableRowCountToBeBetween", {"min_value": 1}),
        ("ExpectColumnValuesToBeOfType", {"column": "value_eur", "type_": "float64"}),
        ("ExpectColumnValuesToBeOfType", {"column": "period_start", "type_": "datetime64[us]"}),
        *[
            ("ExpectColumnValuesToNotBeNull", {"column": c})
            for c in (*key, "period_start", "source_line", "_source_sha256", "_loaded_at")
        ],
        ("ExpectColumnValuesToBeInSet", {"column": "source_format", "value_set": list(table.formats)}),
        ("ExpectColumnValuesToBeInSet", {"column": "flow", "value_set": ["import", "export"]}),
        ("ExpectColumnValuesToBeInSet", {"column": "period_freq", "value_set": ["M", "A"]}),
        *[("ExpectColumnValuesToBeInSet", {"column": c, "value_set": values}) for c, values in sets.items()],
        *[("ExpectColumnValuesToMatchRegex", {"column": c, "regex": regex}) for c, regex in regexes.items()],
        ("ExpectCompoundColumnsToBeUnique", {"column_list": key}),
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "value_eur", "min_value": 0, "max_value": MAX_PLAUSIBLE_VALUE_EUR},
        ),
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "period_start", "min_value": FIRST_COMEXT_PERIOD, "max_value": today},
        ),
    ]


def bulk_extract_expectations(today: datetime) -> list[tuple[str, dict]]:
    """raw.comext_bulk_extract_flows: member-state reporters, Comext partner codes, CN8 products, a value
    on every row (bulk files leave combinations out, never a cell empty)."""
    return [
        *_cn8_extract_expectations(
            COMEXT_BULK_EXTRACT_FLOWS,
            today,
            regexes={
                "partner_code": r"^[A-Z]{2}$",
                "product_code": r"^[0-9]{2}[0-9X]{6}$",
                "period_code": r"^[12][0-9]{3}(?:0[1-9]|1[0-2]|52)?$",
            },
            sets={"reporter_code": [row["geo_code"] for row in read_seed("eu27_member_states")]},
        ),
        ("ExpectColumnValuesToNotBeNull", {"column": "value_eur"}),
        ("ExpectColumnValuesToBeBetween", {"column": "quantity_kg", "min_value": 0}),
    ]


def databrowser_expectations(today: datetime) -> list[tuple[str, dict]]:
    """raw.comext_databrowser_flows: codes parsed from "label [code]", euro values only."""
    return [
        *_cn8_extract_expectations(
            COMEXT_DATABROWSER_FLOWS,
            today,
            regexes={
                "reporter_code": GEO_CODE_PATTERN,
                "partner_code": GEO_CODE_PATTERN,
                "product_code": r"^(?:TOTAL|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{8})$",
                "period_code": r"^[12][0-9]{3}(?:-(?:0[1-9]|1[0-2]))?$",
            },
            sets={"indicator": ["VALUE_IN_EUROS"], "obs_flag": [":"]},
        ),
        ("ExpectColumnProportionOfNonNullValuesToBeBetween", {"column": "value_eur", "min_value": 0.5}),
    ]


BULK_EXTRACT_ROW_LOCATOR = [
    "_source_file",
    "source_line",
    "reporter_code",
    "partner_code",
    "product_code",
    "period_code",
]
DATABROWSER_ROW_LOCATOR = [
    "_source_file",
    "source_line",
    "export_sheet",
    "reporter_code",
    "product_code",
    "period_code",
]
