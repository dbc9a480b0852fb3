"""Labels that Easy Comext and the data browser write, mapped to the publishers' codes.

Country names go through pipelines.core.geo (pycountry, country_converter). Comext's own aggregates and special
partners, which no library knows, are listed in reference/comext_geo_labels.csv.
Only distinct labels are mapped here; the join back to the rows happens in DuckDB.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from pipelines.core.geo import eurostat_geo_code, iso2_for_country_name, normalise_label

REFERENCE_DIR = Path(__file__).parent / "reference"

# Footnotes such as "(incl. Luxembourg 'LU' -> 1998)" or "(Eire)" say nothing about the code.
_FOOTNOTE = re.compile(r"\s*\((?:incl\.|excl\.|[^)]*'[A-Z]{2}'|[^)]*->|[^)]*\b(?:from|depuis|ab)\b)[^)]*\)\s*$")
_LEADING_CODE = re.compile(r"^([A-Z0-9_]{1,12})\s*-\s*\S")
_MONTHS = {
    "jan": 1,
    "janv": 1,
    "feb": 2,
    "févr": 2,
    "fevr": 2,
    "mar": 3,
    "mars": 3,
    "apr": 4,
    "avr": 4,
    "may": 5,
    "mai": 5,
    "jun": 6,
    "juin": 6,
    "jul": 7,
    "juil": 7,
    "aug": 8,
    "août": 8,
    "aout": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "déc": 12,
}


def strip_footnote(label: str) -> str:
    label = label.strip()
    while True:
        shorter = _FOOTNOTE.sub("", label)
        if shorter == label:
            return label
        label = shorter


def _outside_parentheses(label: str) -> str:
    return re.sub(r"\s*\(.*\)\s*$", "", label)


@lru_cache(maxsize=1)
def _special_labels() -> dict[tuple[str, str], str]:
    """(normalised label, language or '') -> code."""
    with open(REFERENCE_DIR / "comext_geo_labels.csv", encoding="utf-8") as handle:
        return {(normalise_label(row["label"]), row["language"]): row["code"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=4096)
def geo_code_for_label(label: str, language: str = "") -> str | None:
    """ISO alpha-2 / Comext code for a reporter or partner label, or None if unknown.

    `language` ('en', 'fr') selects the few labels whose meaning depends on it.
    """
    label = label.strip()
    if re.fullmatch(r"[A-Z]{2}|[A-Z0-9]+_[A-Z0-9_]+", label) or ":" in label[:12]:
        label = label.split(":", 1)[0].strip()  # SDMX-CSV with labels writes 'AT:Austria'
    if re.fullmatch(r"[A-Z]{2}|[A-Z0-9]+_[A-Z0-9_]+", label):
        return label  # already a code
    special = _special_labels()
    for candidate in (label, strip_footnote(label), _outside_parentheses(label)):
        for lang in (language, ""):
            if (normalise_label(candidate), lang) in special:
                return special[(normalise_label(candidate), lang)]
    # Exact names first (pycountry's English, French and German catalogues), then
    # country_converter's English patterns, which would misread French names
    # ("République dominicaine" matches its Dominica pattern).
    name = strip_footnote(label)
    return iso2_for_country_name(name, _outside_parentheses(name), *re.findall(r"\((.*?)\)", name))


def reporter_code_for_label(label: str) -> str | None:
    """Eurostat geo code of a reporter (Greece EL, not ISO's GR)."""
    code = geo_code_for_label(label)
    return eurostat_geo_code(code) if code else None


def flow_for_label(label: str) -> str | None:
    """'1-IMPORT', 'IMPORT', 'IMPORTATION', '1' -> import; likewise export."""
    text = normalise_label(label)
    if text in {"1", "import", "1 import", "importation", "1 importation", "einfuhr"}:
        return "import"
    if text in {"2", "export", "2 export", "exportation", "2 exportation", "ausfuhr"}:
        return "export"
    return None


def product_code_for_label(label: str) -> str | None:
    """'TOTAL-Total', 'Total', '27-MINERAL FUELS ...', '27' -> TOTAL / 27 / ..."""
    text = label.strip()
    if normalise_label(text) in {"total", "total total"}:
        return "TOTAL"
    match = _LEADING_CODE.match(text) or re.fullmatch(r"([0-9]{2,8}|TOTAL|[0-9]{2}X{2,6})", text)
    return match.group(1) if match else None


def stat_procedure_for_label(label: str) -> str | None:
    """'T-Total', 'Total' -> TOTAL; '1-Normal' or '1' -> 1."""
    text = label.strip()
    if not text or normalise_label(text) in {"total", "t total"}:
        return "TOTAL"
    match = re.match(r"^([0-9])(\s*-|$)", text)
    return match.group(1) if match else None


def period_code_for_label(label: str) -> str | None:
    """Easy Comext periods -> YYYYMM, or YYYY52 for January-December.

    '201901-Jan. 2019' and '201952-Jan.-Dec. 2019' lead with the code; 'Jan.-Dec. 2018',
    'Jan. 2019' and French 'Janv.-Déc. 2018' are spelled out. Other ranges are refused.
    """
    text = label.strip()
    lead = re.match(r"^([12][0-9]{3})(0[1-9]|1[0-2]|52)\b", text)
    if lead:
        return lead.group(1) + lead.group(2)
    match = re.fullmatch(r"(?i)([^\W\d_]+)\.?(?:\s*-\s*([^\W\d_]+)\.?)?\s+([12][0-9]{3})", text)
    if not match:  # SDMX TIME_PERIOD: '2020-01', or '2020' for a year
        iso = re.fullmatch(r"([12][0-9]{3})(?:-?(0[1-9]|1[0-2]))?", text)
        return (iso.group(1) + (iso.group(2) or "52")) if iso else None
    first, last, year = match.group(1).casefold(), (match.group(2) or "").casefold(), match.group(3)
    start, end = _MONTHS.get(first), _MONTHS.get(last) if last else None
    if start is None or (last and end is None):
        return None
    if not last:
        return f"{year}{start:02d}"
    return f"{year}52" if (start, end) == (1, 12) else None
