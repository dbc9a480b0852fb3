"""Small trade files in each publisher's exact shape.

Values are real: the bulk rows are the first rows of Comext full_202402.dat (Austria's
exports to Andorra, from ../shared/data/trade); the Easy Comext and SDMX rows are copied
from the relational views and the DS-045409 extract listed in raw/SOURCES.md.
"""

BULK_HEADER_18 = (
    "REPORTER,PARTNER,TRADE_TYPE,PRODUCT_NC,PRODUCT_SITC,PRODUCT_CPA21,PRODUCT_CPA22,PRODUCT_BEC,"
    "PRODUCT_BEC5,PRODUCT_SECTION,FLOW,STAT_PROCEDURE,SUPPL_UNIT,PERIOD,VALUE_EUR,VALUE_NAC,QUANTITY_KG,"
    "QUANTITY_SUPPL_UNIT"
)
BULK_ROWS_18 = [
    "AT,AD,E,35069190,59229,2052,2059,220,311210,06,2,1,NO_SU,202402,65,65,3,0",
    "AT,AD,E,38089490,59140,2020,2020,630,313101,06,2,1,NO_SU,202402,2700,2700,136,0",
    "AT,AD,E,39XXXXXX,582XX,XXXX,XXXX,700,31XXXX,07,2,1,NO_SU,202402,89,89,0,0",
    "AT,AD,E,40169991,62999,2219,2212,630,211210,07,2,1,NO_SU,202402,1606,1606,89,0",
]


def bulk_18(rows=None) -> str:
    return "\n".join([BULK_HEADER_18, *(rows or BULK_ROWS_18)]) + "\n"


def bulk_17() -> str:
    """Older downloads: no PRODUCT_CPA22 (the 7th column)."""

    def drop7(line):
        cells = line.split(",")
        return ",".join(cells[:6] + cells[7:])

    return "\n".join(drop7(line) for line in [BULK_HEADER_18, *BULK_ROWS_18]) + "\n"


LEGACY_HEADER = (
    "DECLARANT,DECLARANT_ISO,PARTNER,PARTNER_ISO,TRADE_TYPE,PRODUCT_NC,PRODUCT_SITC,PRODUCT_CPA2002,"
    "PRODUCT_CPA2008,PRODUCT_CPA2_1,PRODUCT_BEC,PRODUCT_SECTION,FLOW,STAT_REGIME,SUPP_UNIT,PERIOD,"
    "VALUE_IN_EUROS,QUANTITY_IN_KG,SUP_QUANTITY"
)


def legacy() -> str:
    """The older fullYYYYMM layout, same real rows (Greece as declarant to show GR -> EL)."""
    rows = [
        "038,AT,043,AD,E,35069190,59229,,,2052,220,06,2,1,NO_SU,202402,65,3,0",
        "009,GR,043,AD,E,38089490,59140,,,2020,630,06,1,1,NO_SU,202452,2700,136,0",
    ]
    return "\n".join([LEGACY_HEADER, *rows]) + "\n"


EU27_EN = (
    '"European Union - 27 countries (AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR, HR, HU, IE, IT, '
    'LT, LU, LV, MT, NL, PL, PT, RO, SE, SI, SK)"'
)
EU27_FR = (
    '"Union européenne - 27 pays (AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR, HR, HU, IE, IT, '
    'LT, LU, LV, MT, NL, PL, PT, RO, SE, SI, SK)"'
)
RELATIONAL_HEADER = "REPORTER,PARTNER,PRODUCT,FLOW,STAT_PROCEDURE,PERIOD,VALUE_IN_EUR"
RELATIONAL_ROWS = [
    f"{EU27_EN},Kazakhstan,Total,EXPORT,Total,Jan.-Dec. 2018,5495009525",
    f"{EU27_EN},Kazakhstan,TOTAL-Total,2-EXPORT,T-Total,201952-Jan.-Dec. 2019,5917319466",
    f"{EU27_FR},Kazakhstan,Total,EXPORTATION,Total,Jan.-Dec. 2016,4777231569",
    f"{EU27_FR},Guinée,Total,EXPORTATION,Total,Jan.-Dec. 2016,901357072",
    f"{EU27_FR},Guinea,Total,EXPORTATION,Total,Jan.-Dec. 2016,125725547",
    "\"Belgium (incl. Luxembourg 'LU' -> 1998)\",Kazakhstan,TOTAL-Total,2-EXPORT,T-Total,201901-Jan. 2019,26237220",
    # Not available in the source (':' in the data browser export for this key)
    '"Austria",Armenia,"27-MINERAL FUELS, MINERAL OILS AND PRODUCTS OF THEIR DISTILLATION",'
    "1-IMPORT,T-Total,202001-Jan. 2020,:",
    f"{EU27_EN},Extra-EU27 (from 2020),Total,EXPORT,Total,Jan.-Dec. 2018,2058821896918",
]


def relational(rows=None) -> str:
    return "\n".join([RELATIONAL_HEADER, *(rows or RELATIONAL_ROWS)]) + "\n"


SDMX_HEADER = "DATAFLOW,LAST UPDATE,freq,reporter,partner,product,flow,indicators,TIME_PERIOD,OBS_VALUE,OBS_FLAG"
# The quantity pair re-expresses a real bulk row (AT -> AD, CN 38089490, Feb 2024: EUR 2,700,
# 136 kg) in the API's units (100 kg); the 'p' flag is illustrative of the flag column only.
SDMX_ROWS = [
    "ESTAT:DS-045409(1.0),13/01/23 00:00:00,M,DE,KZ,TOTAL,1,VALUE_IN_EUROS,2021-01,192175530,",
    "ESTAT:DS-045409(1.0),13/01/23 00:00:00,M,GR,KZ,27,1,VALUE_IN_EUROS,2021-01,148523439,",
    "ESTAT:DS-045409(1.0),13/01/23 00:00:00,M,AT:Austria,KZ:Kazakhstan,TOTAL:Total,2:EXPORT,"
    "VALUE_IN_EUROS,2021-02,14022802,p",
    "ESTAT:DS-045409(1.0),13/01/23 00:00:00,M,AT,AD,38089490,2,VALUE_IN_EUROS,2024-02,2700,",
    "ESTAT:DS-045409(1.0),13/01/23 00:00:00,M,AT,AD,38089490,2,QUANTITY_IN_100KG,2024-02,1.36,",
    "ESTAT:DS-045409(1.0),13/01/23 00:00:00,A,EU27_2020,KZ,TOTAL,2,VALUE_IN_EUROS,2021,5487086743,",
    # the API's shape of a confidential observation: no value, flag 'c' (illustrative key)
    "ESTAT:DS-045409(1.0),13/01/23 00:00:00,M,MT,KZ,27,1,VALUE_IN_EUROS,2021-01,,c",
]


def sdmx(rows=None) -> str:
    return "\n".join([SDMX_HEADER, *(rows or SDMX_ROWS)]) + "\n"
