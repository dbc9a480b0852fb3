"""Small CN8 selections in their exact shapes, with real rows.

The extract rows are lines of the critical-raw-material extract of Comext bulk data, and the
data-browser rows lines of the flattened sanctioned-goods exports, both in ../shared/data/trade
(listed in raw/SOURCES.md). Generated variants made from them say so in their file names.
"""

EXTRACT_HEADER = "DECLARANT_ISO,PARTNER_ISO,PRODUCT_NC,FLOW,PERIOD,VALUE_IN_EUROS"
EXTRACT_ROWS = [
    "AT,AE,25041000,1,2022,16413",
    "BE,KZ,26139000,1,2022,31392960",
    "BE,GR,28201000,1,2022,22551808",  # partner Greece as Comext writes it (ISO)
    "EL,AT,28046900,1,2022,159604",  # reporter Greece as the extractor wrote it (Eurostat)
    "NL,XS,26020000,1,2022,31",  # Comext's own code for Serbia
    "RO,KZ,81082000,1,2022,715414.641",  # three decimals: a reporter outside the euro area
    "AT,GB,28046900,1,2022,55780",
]


def extract(rows=None, header: str = EXTRACT_HEADER) -> str:
    return "\n".join([header, *(EXTRACT_ROWS if rows is None else rows)]) + "\n"


BROWSER_HEADER = "source_file,sheet,product,flow,indicator,reporter,partner,period,value_eur"
LAPTOPS = (
    '"Data-processing machines, automatic, portable, weighing <= 10 kg, consisting of at least a central '
    "processing unit, a keyboard and a display (excl. peripheral units)(2007-2500);Data-processing machines, "
    "automatic, digital, portable, weighing <= 10 kg, consisting of at least a central processing unit, a "
    "keyboard and a display (excl. peripheral units)(2000-2006);Data-processing machines, automatic, digital, "
    "portable, weighing <= 10 kg, consisting of at least a central processing unit, a keyboard and a display "
    '(excl. peripheral units)(1996-1997) [84713000]"'
)
PROTEIN = (
    '"Protein concentrates and textured protein substances, not containing milkfats, sucrose, isoglucose '
    "starch or glucose or containing, by weight, < 1,5% milkfat, < 5% sucrose or isoglucose, < 5% glucose or "
    '< 5% starch [21061020]"'
)
GERMANY = "Germany (incl. German Democratic Republic 'DD' from 1991)"
FOOD = '01_4624976_spreadsheet.xlsx,Sheet 1,"Food preparations, n.e.s. [2106]",EXPORT,VALUE_IN_EUROS'
BROWSER_ROWS = [
    f"{FOOD},{GERMANY},Kazakhstan,2020-01,306719",
    f"{FOOD},Greece,Kazakhstan,2020-02,6725",
    f"{FOOD},Ireland (Eire),Kazakhstan,2020-06,180",
    f"02_4624791_spreadsheet.xlsx,Sheet 7,{PROTEIN},EXPORT,VALUE_IN_EUROS,Belgium (incl. Luxembourg 'LU' -> 1998),"
    "Kazakhstan,2022-08,23",
    f"17_4606328_spreadsheet.xlsx,Sheet 75,{LAPTOPS},EXPORT,VALUE_IN_EUROS,{GERMANY},Kazakhstan,2022-02,134644",
]


def browser(rows=None, header: str = BROWSER_HEADER) -> str:
    return "\n".join([header, *(BROWSER_ROWS if rows is None else rows)]) + "\n"
