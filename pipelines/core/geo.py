"""Country codes, defined once: ISO 3166 names to codes, and Eurostat's own spelling of two of them.

Eurostat writes ISO alpha-2 except Greece (EL, ISO GR) and the United Kingdom (UK, ISO GB); Comext
bulk files and ISO-based sources write GR and GB. Every reader that meets a reporter or geo code
goes through `eurostat_geo_code` (Python) or `eurostat_geo_sql` (DuckDB), never its own literal.
Country names go through maintained libraries: pycountry's ISO 3166 catalogues (English, French,
German) and country_converter's English patterns.
"""

from __future__ import annotations

import gettext
import logging
import re
import unicodedata
from functools import lru_cache

from pipelines.core.sql import sql_list, sql_string

EUROSTAT_FOR_ISO = {"GR": "EL", "GB": "UK"}
# A geo code as Eurostat writes it: ISO/Comext alpha-2, or an aggregate (EU27_2020, EA20, EXT_EU27_2020)
GEO_CODE_PATTERN = r"^(?:[A-Z]{2}|[A-Z]{2}[0-9]{2}|[A-Z0-9]+_[A-Z0-9_]+)$"
ISO_FOR_EUROSTAT = {eurostat: iso for iso, eurostat in EUROSTAT_FOR_ISO.items()}


def eurostat_geo_code(code: str) -> str:
    """An ISO alpha-2 code in Eurostat's spelling (GR -> EL, GB -> UK); any other code unchanged."""
    return EUROSTAT_FOR_ISO.get(code, code)


def iso_geo_code(code: str) -> str:
    """The inverse: Eurostat's EL and UK back to ISO's GR and GB (to find a row in an ISO-coded file)."""
    return ISO_FOR_EUROSTAT.get(code, code)


def eurostat_geo_sql(column: str) -> str:
    """`eurostat_geo_code` as a DuckDB expression over a column."""
    cases = " ".join(f"WHEN {sql_string(iso)} THEN {sql_string(code)}" for iso, code in EUROSTAT_FOR_ISO.items())
    return f"CASE {column} {cases} ELSE {column} END"


@lru_cache(maxsize=1)
def eurostat_two_letter_codes() -> frozenset[str]:
    """Country codes Eurostat uses: ISO alpha-2 with EL and UK in place of GR and GB, and XK (Kosovo)."""
    import pycountry

    iso = {country.alpha_2 for country in pycountry.countries}
    return frozenset((iso - set(EUROSTAT_FOR_ISO)) | set(EUROSTAT_FOR_ISO.values()) | {"XK"})


def unknown_eurostat_geo_sql(code: str) -> str:
    """True where `code` is not a Eurostat geo/partner code: two letters must be a country;
    longer codes (EU27_2020, EU_V, NSP, EX_SU_OTH) are aggregates, which no library lists."""
    return (
        f"({code} IS NULL OR NOT regexp_full_match({code}, '[A-Z][A-Z0-9_]*') "
        f"OR (length({code}) = 2 AND {code} NOT IN ({sql_list(sorted(eurostat_two_letter_codes()))})))"
    )


def normalise_label(text: str) -> str:
    """Lower-case ASCII words: accents, punctuation and spacing do not decide a match."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Normalised English, French and German country names (pycountry's ISO 3166-1) -> alpha-2."""
    import pycountry

    names: dict[str, str] = {}
    for language in ("en", "fr", "de"):
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                if hasattr(country, attr):
                    names.setdefault(normalise_label(translation.gettext(getattr(country, attr))), country.alpha_2)
    return names


@lru_cache(maxsize=1)
def _converter():
    import country_converter

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return country_converter.CountryConverter()


def iso2_for_country_name(*candidates: str) -> str | None:
    """ISO alpha-2 of the first candidate spelling that names a country, or None.

    Exact names first (pycountry's English, French and German catalogues), then country_converter's
    English patterns on the first candidate, which would misread French names ("République
    dominicaine" matches its Dominica pattern).
    """
    names = _country_names()
    for candidate in candidates:
        if normalise_label(candidate) in names:
            return names[normalise_label(candidate)]
    if not candidates:
        return None
    code = _converter().convert(candidates[0], to="ISO2", not_found="")
    return code if isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code) else None
