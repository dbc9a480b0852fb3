"""The raw shapes of foreign direct investment: wiiw's codes and labels kept, units in the names.

One row per breakdown item, direction and year. wiiw publishes each series twice, in EUR million
and as a percentage of the total: the reader puts both on one row (value_eur_million beside the
published share), each with the line it was read from.
"""

from __future__ import annotations

from pipelines.core.tables import RawTable

FORMATS = ("wiiw_fdi_csv",)

# wiiw's Direction labels -> the codes landed
DIRECTIONS = {
    "FDI inflow": "inflow",
    "FDI inward stock": "inward_stock",
    "FDI outflow": "outflow",
    "FDI outward stock": "outward_stock",
}

_COMMON_HEAD: dict[str, str] = {
    "source_format": "VARCHAR",  # wiiw_fdi_csv
    "reporter_code": "VARCHAR",  # wiiw's Country-Code: the economy the investment goes into (KZ)
    "direction": "VARCHAR",  # inflow | inward_stock | outflow | outward_stock (wiiw's Direction)
}
_COMMON_TAIL: dict[str, str] = {
    "year": "INTEGER",  # from the column name _YYYY
    "value_eur_million": "DOUBLE",  # the 'EUR m' row; NULL where wiiw writes '.' (not published)
    "footnote": "VARCHAR",  # wiiw's Footnotes of the 'EUR m' row; NULL where it writes '-'
    "source_note": "VARCHAR",  # wiiw's Sources of the 'EUR m' row (National Bank of Kazakhstan)
    "source_line": "BIGINT",  # line of the 'EUR m' row in the file (header = 1)
}

FDI_BY_PARTNER_COLUMNS: dict[str, str] = {
    **_COMMON_HEAD,
    "partner_code": "VARCHAR",  # wiiw's Partner-Code: ISO alpha-2 (GB, GR), WORLD, EU27_2020, EU28_2013, EU15_1995
    "partner_name": "VARCHAR",  # wiiw's Partner, as published
    **_COMMON_TAIL,
    "share_of_total_pct": "DOUBLE",  # the 'in % of total' row as published (WORLD = 100); NULL where '.'
    "share_source_line": "BIGINT",  # line of the 'in % of total' row; NULL where the file has none
}

FDI_BY_ACTIVITY_COLUMNS: dict[str, str] = {
    **_COMMON_HEAD,
    "classification": "VARCHAR",  # wiiw's Classification: NACE Rev. 1 | NACE Rev. 2
    "activity_level": "VARCHAR",  # wiiw's Digit: NACE 1-letter | NACE 2-letter - Manufacturing
    "activity_code": "VARCHAR",  # the NACE code before the label (A, M-N, DD-DE, CA); TOTAL, NEC (not elsewhere
    #                              classified) for wiiw's labels without a code
    "activity_label": "VARCHAR",  # wiiw's Industry/Product, as published ('B  Mining and quarrying')
    **_COMMON_TAIL,
    "share_of_total_pct": "DOUBLE",  # the 'in % of total' row as published; NULL where '.' or not given
    "share_of_manufacturing_pct": "DOUBLE",  # the 'in % of total manufacturing' row (manufacturing divisions)
    "share_source_line": "BIGINT",  # line of the share row; NULL where the file has none
}

FDI_BY_ACTIVITY = RawTable(
    name="fdi_by_activity",
    columns=FDI_BY_ACTIVITY_COLUMNS,
    key=("reporter_code", "direction", "classification", "activity_level", "activity_code", "year"),
    not_null=("reporter_code", "direction", "classification", "activity_level", "activity_code", "year"),
    formats=FORMATS,
    publishers=("wiiw",),
    datasets=("wiiw-fdi",),
)

FDI_BY_PARTNER = RawTable(
    name="fdi_by_partner",
    columns=FDI_BY_PARTNER_COLUMNS,
    key=("reporter_code", "direction", "partner_code", "year"),
    not_null=("reporter_code", "direction", "partner_code", "year"),
    formats=FORMATS,
    publishers=("wiiw",),
    datasets=("wiiw-fdi",),
)
