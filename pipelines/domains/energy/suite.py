"""Expectations on the landed energy observations (raw.energy_imports), as plain data."""

from __future__ import annotations

from datetime import datetime

from pipelines.core.geo import GEO_CODE_PATTERN
from pipelines.core.landing import LINEAGE_COLUMNS
from pipelines.domains.energy.schema import ENERGY_IMPORTS, ENERGY_ROW_COLUMNS

# Eurostat energy partners add 3-letter codes (NSP not specified) and TOTAL to the geo codes.
ENERGY_GEO_CODE = GEO_CODE_PATTERN.replace("^(?:", "^(?:[A-Z]{3}|TOTAL|", 1)

DATASETS = ["nrg_ti_oil", "nrg_ti_gas", "nrg_ti_sff", "nrg_ti_coifpm", "dg_ener_coir", "esa_annual_report"]
# Quantities and money: never negative (imports by origin are gross flows).
NON_NEGATIVE = ["THS_T", "TJ_GCV", "VOL_THS_BBL", "VAL_THS_USD", "AVGPRC_USD_BBL", "COMP_NR"]
FIRST_PERIOD = datetime(1985, 1, 1)  # Eurostat energy statistics start in 1990 (coifpm reaches back further)


def _where(indicators: list[str]) -> dict:
    """GE's row condition (pandas query) restricting an expectation to some indicators."""
    return {"row_condition": f"indicator_code.isin({indicators!r})", "condition_parser": "pandas"}


def energy_expectations(today: datetime) -> list[tuple[str, dict]]:
    columns = [*ENERGY_ROW_COLUMNS, *LINEAGE_COLUMNS]
    key = ["_source_file", *ENERGY_IMPORTS.key]
    return [
        # structure
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": columns}),
        ("ExpectTableRowCountToBeBetween", {"min_value": 1}),
        ("ExpectColumnValuesToBeOfType", {"column": "obs_value", "type_": "float64"}),
        # completeness
        *[
            ("ExpectColumnValuesToNotBeNull", {"column": c})
            for c in (
                "source_format",
                "dataset",
                "reporter_code",
                "product_code",
                "indicator_code",
                "period_code",
                "period_start",
                "_source_file",
                "_source_sha256",
                "_loaded_at",
            )
        ],
        # validity: codes in their sets
        ("ExpectColumnValuesToBeInSet", {"column": "dataset", "value_set": DATASETS}),
        ("ExpectColumnValuesToBeInSet", {"column": "source_format", "value_set": list(ENERGY_IMPORTS.formats)}),
        ("ExpectColumnValuesToBeInSet", {"column": "period_freq", "value_set": ["M", "A"]}),
        (
            "ExpectColumnValuesToMatchRegex",
            {"column": "period_code", "regex": r"^[12][0-9]{3}(?:-(?:0[1-9]|1[0-2]))?$"},
        ),
        ("ExpectColumnValuesToMatchRegex", {"column": "reporter_code", "regex": ENERGY_GEO_CODE}),
        ("ExpectColumnValuesToMatchRegex", {"column": "partner_code", "regex": ENERGY_GEO_CODE}),
        ("ExpectColumnValuesToMatchRegex", {"column": "obs_flag", "regex": r"^(?::|[a-z]{1,4})$"}),
        # cited facts carry their source
        (
            "ExpectColumnValuesToNotBeNull",
            {
                "column": "source_url",
                "row_condition": "source_format == 'reference_facts'",
                "condition_parser": "pandas",
            },
        ),
        # uniqueness within a file
        ("ExpectCompoundColumnsToBeUnique", {"column_list": key, "ignore_row_if": "never"}),
        # accuracy and plausibility: volumes non-negative, shares within their range
        ("ExpectColumnValuesToBeBetween", {"column": "obs_value", "min_value": 0, **_where(NON_NEGATIVE)}),
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "obs_value", "min_value": 0, "max_value": 1, **_where(["PC_TOTAL_IMPORTS"])},
        ),
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "obs_value", "min_value": 0, "max_value": 100, **_where(["SHARE_PC", "SULPH_PC"])},
        ),
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "obs_value", "min_value": -10, "max_value": 100, **_where(["API_DEG"])},
        ),
        ("ExpectColumnValuesToBeBetween", {"column": "period_start", "min_value": FIRST_PERIOD, "max_value": today}),
    ]


ENERGY_ROW_LOCATOR = [
    "_source_file",
    "source_line",
    "dataset",
    "reporter_code",
    "partner_code",
    "product_code",
    "indicator_code",
    "period_code",
]
