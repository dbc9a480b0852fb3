"""Eurostat geo codes for the energy readers: checks for coded files, names for the DG ENER register.

Eurostat's energy datasets write ISO alpha-2 codes except Greece (EL) and the United Kingdom (UK),
plus aggregates (EU27_2020, EU_V, EX_SU_OTH, NSP, ...). The DG ENER register writes country names:
they go through pipelines.core.geo (pycountry, country_converter); the register's own
groups and the names those libraries misread are listed in reference/dg_ener_origins.csv.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from pipelines.core.geo import eurostat_geo_code, iso2_for_country_name

CODE_PATTERN = "[A-Z0-9][A-Z0-9_-]*"  # SIEC (C0000X0350-0370), units, coifpm grades, aggregates
REFERENCE_DIR = Path(__file__).parent / "reference"


def eurostat_code_for_name(name: str) -> str | None:
    """A country name as the register writes it ('Greece', 'Czech Republic') -> Eurostat geo code."""
    code = iso2_for_country_name(name.strip())
    return eurostat_geo_code(code) if code else None


@lru_cache(maxsize=1)
def _register_origins() -> dict[str, str]:
    with open(REFERENCE_DIR / "dg_ener_origins.csv", encoding="utf-8") as handle:
        return {row["label"].casefold(): row["code"] for row in csv.DictReader(handle)}


def dg_ener_origin_code(label: str) -> str | None:
    """The register's 'Country of Origin' -> Eurostat partner code (country or aggregate)."""
    listed = _register_origins().get(label.strip().casefold())
    return listed or eurostat_code_for_name(label)
