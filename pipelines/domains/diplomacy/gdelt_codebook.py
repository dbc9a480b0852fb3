"""GDELT's event export layouts, from the GDELT 1.0 and 2.0 event codebooks: field names in file order."""

from __future__ import annotations

from typing import NamedTuple

# The official GDELT 2.0 event fields, in file order (GDELT 2.0 event codebook).
GDELT2_FIELDS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
)
# GDELT 1.0 has the same fields without the three ADM2 codes (GDELT 1.0 data format codebook).
GDELT1_FIELDS: tuple[str, ...] = tuple(f for f in GDELT2_FIELDS if not f.endswith("_ADM2Code"))


class Layout(NamedTuple):
    fmt: str  # source_format
    fields: tuple[str, ...]  # names of the fields, in file order
    required: int  # fields every line has (SOURCEURL is missing from the 1.0 backfile's lines)
    date_added_digits: int
    date_added_format: str


GDELT1 = Layout("gdelt1_daily", GDELT1_FIELDS, 57, 8, "%Y%m%d")  # SOURCEURL only since April 2013
GDELT2 = Layout("gdelt2_export", GDELT2_FIELDS, 61, 14, "%Y%m%d%H%M%S")
LAYOUT_BY_FIELD_COUNT = {57: GDELT1, 58: GDELT1, 61: GDELT2}
