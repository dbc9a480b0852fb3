"""Eurostat geo codes for the energy readers: checks for coded files, names for the DG ENER register.

Eurostat's energy datasets write ISO alpha-2 codes except Greece (EL) and the United Kingdom (UK),
plus aggregates (EU27_2020, EU_V, EX_SU_OTH, NSP, ...). The DG ENER register writes country names:
they go through labels.geo_code_for_label (pycountry, country_converter); the register's own
groups and the names those libraries misread are listed in reference/dg_ener_origins.csv.
"""

from __future__ import annotations

import csv
from functools import lru_cache

from . import labels
from .labels import REFERENCE_DIR
from .sql import sql_list

# Eurostat's spelling of the two countries whose ISO code it does not use.
EUROSTAT_FOR_ISO = {"GR": "EL", "GB": "UK"}
CODE_PATTERN = "[A-Z0-9][A-Z0-9_-]*"  # SIEC (C0000X0350-0370), units, coifpm grades, aggregates


@lru_cache(maxsize=1)
def two_letter_geo_codes() -> frozenset[str]:
    """Country codes Eurostat uses: ISO alpha-2 with EL and UK in place of GR and GB, and XK (Kosovo)."""
    import pycountry

    iso = {country.alpha_2 for country in pycountry.countries}
    return frozenset((iso - set(EUROSTAT_FOR_ISO)) | set(EUROSTAT_FOR_ISO.values()) | {"XK"})


def unknown_geo_sql(code: str) -> str:
    """True where `code` is not a Eurostat geo/partner code: two letters must be a country;
    longer codes (EU27_2020, EU_V, NSP, EX_SU_OTH) are aggregates, which no library lists."""
    return (
        f"({code} IS NULL OR NOT regexp_full_match({code}, '[A-Z][A-Z0-9_]*') "
        f"OR (length({code}) = 2 AND {code} NOT IN ({sql_list(sorted(two_letter_geo_codes()))})))"
    )


def eurostat_code_for_name(name: str) -> str | None:
    """A country name as the register writes it ('Greece', 'Czech Republic') -> Eurostat geo code."""
    code = labels.geo_code_for_label(name)
    return EUROSTAT_FOR_ISO.get(code, code) if code else None


@lru_cache(maxsize=1)
def _register_origins() -> dict[str, str]:
    with open(REFERENCE_DIR / "dg_ener_origins.csv", encoding="utf-8") as handle:
        return {row["label"].casefold(): row["code"] for row in csv.DictReader(handle)}


def dg_ener_origin_code(label: str) -> str | None:
    """The register's 'Country of Origin' -> Eurostat partner code (country or aggregate)."""
    listed = _register_origins().get(label.strip().casefold())
    return listed or eurostat_code_for_name(label)
