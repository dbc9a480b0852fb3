"""Expectations on the landed trade rows (raw.trade_flows), as plain data: no GE import here."""

from __future__ import annotations

from datetime import datetime

from pipelines.core.geo import GEO_CODE_PATTERN
from pipelines.core.landing import LINEAGE_COLUMNS
from pipelines.core.seeds import read_seed
from pipelines.core.tables import RawTable
from pipelines.domains.trade.readers.un_comtrade_csv import QUANTITY_UNITS
from pipelines.domains.trade.schema import (
    COMEXT_BULK_EXTRACT_FLOWS,
    COMEXT_DATABROWSER_FLOWS,
    COMTRADE_FLOWS,
    COMTRADE_ROW_COLUMNS,
    IMF_DOTS_FLOWS,
    IMF_DOTS_FLOWS_COLUMNS,
    KZ_PARTNER_TRADE,
    KZ_PARTNER_TRADE_COLUMNS,
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


FIRST_COMTRADE_YEAR = 1962  # UN Comtrade's annual data start
# One Comtrade figure above USD 5 trillion would exceed any country's imports of a year: a unit error.
MAX_PLAUSIBLE_VALUE_USD = 5e12


def comtrade_expectations(today: datetime) -> list[tuple[str, dict]]:
    """(GE expectation class name, kwargs) for raw.comtrade_flows."""
    areas = "|".join(row["partner_code"] for row in read_seed("comtrade_partner_areas"))
    key = ["_source_file", "reporter_code", "flow", "partner_code", "partner2_code", "hs_code", "year"]
    return [
        # structure
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": [*COMTRADE_ROW_COLUMNS, *LINEAGE_COLUMNS]}),
        ("ExpectTableRowCountToBeBetween", {"min_value": 1}),
        ("ExpectColumnValuesToBeOfType", {"column": "value_usd", "type_": "float64"}),
        # completeness of keys and lineage
        *[
            ("ExpectColumnValuesToNotBeNull", {"column": c})
            for c in (*key, "value_usd", "_source_sha256", "_loaded_at")
        ],
        # validity: codes in their sets
        ("ExpectColumnValuesToBeInSet", {"column": "source_format", "value_set": list(COMTRADE_FLOWS.formats)}),
        ("ExpectColumnValuesToBeInSet", {"column": "flow", "value_set": ["import", "export"]}),
        ("ExpectColumnValuesToBeInSet", {"column": "quantity_unit", "value_set": list(QUANTITY_UNITS)}),
        ("ExpectColumnValuesToMatchRegex", {"column": "reporter_code", "regex": r"^[A-Z]{2}$"}),
        *[
            ("ExpectColumnValuesToMatchRegex", {"column": c, "regex": rf"^(?:[A-Z]{{2}}|{areas})$"})
            for c in ("partner_code", "partner2_code")
        ],
        ("ExpectColumnValuesToMatchRegex", {"column": "hs_code", "regex": r"^[0-9]{2}(?:[0-9]{2}){0,2}$"}),
        # uniqueness: one row per key within a file
        ("ExpectCompoundColumnsToBeUnique", {"column_list": key}),
        # accuracy and plausibility
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "value_usd", "min_value": 0, "max_value": MAX_PLAUSIBLE_VALUE_USD},
        ),
        ("ExpectColumnValuesToBeBetween", {"column": "quantity", "min_value": 0}),
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "year", "min_value": FIRST_COMTRADE_YEAR, "max_value": today.year},
        ),
    ]


COMTRADE_ROW_LOCATOR = ["_source_file", "source_line", "year", "partner_label", "partner2_label"]
# --- Kazakhstan's own statistics (BNS) and IMF DOTS: raw.kz_partner_trade, raw.imf_dots_flows ---------------

# ISO alpha-2, an ISO 3166-3 code of a former country (CSHH), or a group code of the label seeds (EU_BNS, WORLD)
PARTNER_CODE = r"^[A-Z][A-Z0-9_]*[A-Z0-9]$"
PARTNER_KINDS = ["country", "group", "total"]
# Kazakhstan's turnover peaked near USD 140 billion; a figure above USD 1 trillion is a unit error.
MAX_PLAUSIBLE_THOUSAND_USD = 1e9
# The largest reporter's annual trade is a few USD trillion; above 10 trillion is a unit error.
MAX_PLAUSIBLE_USD_MILLION = 1e7
FIRST_KZ_YEAR = 1991  # Kazakhstan's independence: no earlier BNS table
FIRST_DOTS_YEAR = 1948  # the IMF's Direction of Trade Statistics start in 1948


def _not_null(*columns: str) -> list[tuple[str, dict]]:
    return [
        ("ExpectColumnValuesToNotBeNull", {"column": c})
        for c in (*columns, "_source_file", "_source_sha256", "_loaded_at")
    ]


def kz_partner_trade_expectations(today: datetime) -> list[tuple[str, dict]]:
    """(GE expectation class name, kwargs) for raw.kz_partner_trade; each guards one quality dimension."""
    figures = ["turnover_thousand_usd", "exports_thousand_usd", "imports_thousand_usd"]
    shares = ["turnover_share_pct", "exports_share_pct", "imports_share_pct"]
    return [
        # structure
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": [*KZ_PARTNER_TRADE_COLUMNS, *LINEAGE_COLUMNS]}),
        ("ExpectTableRowCountToBeBetween", {"min_value": 1}),
        *[("ExpectColumnValuesToBeOfType", {"column": c, "type_": "float64"}) for c in figures],
        # completeness of keys and lineage
        *_not_null(
            "source_format",
            "dataset",
            "sheet",
            "year",
            "vintage_year",
            "partner_label_ru",
            "partner_code",
            "partner_kind",
            "source_line",
        ),
        # validity: codes in their sets
        ("ExpectColumnValuesToBeInSet", {"column": "source_format", "value_set": list(KZ_PARTNER_TRADE.formats)}),
        ("ExpectColumnValuesToBeInSet", {"column": "partner_kind", "value_set": PARTNER_KINDS}),
        ("ExpectColumnValuesToMatchRegex", {"column": "partner_code", "regex": PARTNER_CODE}),
        # uniqueness: one row per year and partner within a file; one total per year
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["_source_file", "year", "partner_code"]}),
        (
            "ExpectCompoundColumnsToBeUnique",
            {
                "column_list": ["_source_file", "year"],
                "row_condition": "partner_kind == 'total'",
                "condition_parser": "pandas",
            },
        ),
        # consistency: a workbook's edition is its latest year, the other year a revision
        ("ExpectColumnPairValuesAToBeGreaterThanB", {"column_A": "vintage_year", "column_B": "year", "or_equal": True}),
        # accuracy and plausibility
        *[
            ("ExpectColumnValuesToBeBetween", {"column": c, "min_value": 0, "max_value": MAX_PLAUSIBLE_THOUSAND_USD})
            for c in figures
        ],
        *[("ExpectColumnValuesToBeBetween", {"column": c, "min_value": 0, "max_value": 100}) for c in shares],
        *[
            ("ExpectColumnValuesToBeBetween", {"column": c, "min_value": FIRST_KZ_YEAR, "max_value": today.year})
            for c in ("year", "vintage_year")
        ],
    ]


KZ_PARTNER_TRADE_ROW_LOCATOR = ["_source_file", "sheet", "source_line", "year", "partner_label_ru", "partner_code"]


def imf_dots_expectations(today: datetime) -> list[tuple[str, dict]]:
    """(GE expectation class name, kwargs) for raw.imf_dots_flows; each guards one quality dimension."""
    return [
        # structure
        ("ExpectTableColumnsToMatchOrderedList", {"column_list": [*IMF_DOTS_FLOWS_COLUMNS, *LINEAGE_COLUMNS]}),
        ("ExpectTableRowCountToBeBetween", {"min_value": 1}),
        ("ExpectColumnValuesToBeOfType", {"column": "value_usd_million", "type_": "float64"}),
        # completeness: every landed row is a published figure
        *_not_null(
            "source_format",
            "dataset",
            "sheet",
            "reporter_name",
            "reporter_code",
            "partner_name",
            "partner_code",
            "partner_kind",
            "flow",
            "valuation",
            "year",
            "value_usd_million",
            "source_line",
            "source_column",
        ),
        # validity: codes and flags in their sets; exports are valued FOB, imports CIF
        ("ExpectColumnValuesToBeInSet", {"column": "source_format", "value_set": list(IMF_DOTS_FLOWS.formats)}),
        ("ExpectColumnValuesToBeInSet", {"column": "partner_kind", "value_set": PARTNER_KINDS}),
        ("ExpectColumnValuesToBeInSet", {"column": "obs_flag", "value_set": ["e"]}),
        (
            "ExpectColumnPairValuesToBeInSet",
            {"column_A": "flow", "column_B": "valuation", "value_pairs_set": [("export", "FOB"), ("import", "CIF")]},
        ),
        ("ExpectColumnValuesToMatchRegex", {"column": "partner_code", "regex": PARTNER_CODE}),
        ("ExpectColumnValuesToMatchRegex", {"column": "reporter_code", "regex": PARTNER_CODE}),
        ("ExpectColumnValuesToMatchRegex", {"column": "source_column", "regex": r"^[A-Z]{1,2}$"}),
        # uniqueness: one figure per reporter, partner, flow and year within a file
        (
            "ExpectCompoundColumnsToBeUnique",
            {"column_list": ["_source_file", "reporter_code", "partner_code", "flow", "year"]},
        ),
        # accuracy and plausibility
        (
            "ExpectColumnValuesToBeBetween",
            {"column": "value_usd_million", "min_value": 0, "max_value": MAX_PLAUSIBLE_USD_MILLION},
        ),
        ("ExpectColumnValuesToBeBetween", {"column": "year", "min_value": FIRST_DOTS_YEAR, "max_value": today.year}),
    ]


IMF_DOTS_ROW_LOCATOR = [
    "_source_file",
    "sheet",
    "source_line",
    "source_column",
    "reporter_code",
    "partner_code",
    "flow",
    "year",
]


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
