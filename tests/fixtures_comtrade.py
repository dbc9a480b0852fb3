"""Real UN Comtrade rows in the extract's exact shape (Latin-1, CRLF, quoted where a comma is in a
value): Germany's crude imports from Kazakhstan in 2024 by country of consignment, and their total."""

from __future__ import annotations

COMTRADE_HEADER = "Year,Country,Partner,Partner2,Commodity Description,Quantity,Quantity Unit,Trade Value"
NEW_WORDING = '"Oils; petroleum oils and oils obtained from bituminous minerals, crude"'
OLD_WORDING = "Petroleum oils and oils obtained from bituminous minerals; crude"
# Five rows of comtrade_germany_crude_imports_hs2709_by_origin_and_consignment_2019-2024.csv, in its order
COMTRADE_ROWS = [
    f"2024,Germany,Kazakhstan,Russian Federation,{NEW_WORDING},2594005000,kg,1576961484",
    f"2024,Germany,Kazakhstan,Netherlands,{NEW_WORDING},423997000,kg,264687339.1",
    f"2024,Germany,Kazakhstan,Türkiye,{OLD_WORDING},101398000,kg,62181046.06",
    f"2024,Germany,Kazakhstan,Kazakhstan,{NEW_WORDING},7467900000,kg,4454179917",
    f"2024,Germany,Kazakhstan,World,{NEW_WORDING},10587300000,kg,6358009786",
]
# A real row whose quantity Comtrade published with the unit N/A
COMTRADE_NA_UNIT_ROW = f"2019,Germany,Norway,World,{OLD_WORDING},8314234040,N/A,4061066612"


def comtrade(rows: list[str] | None = None, header: str = COMTRADE_HEADER, encoding: str = "latin-1") -> bytes:
    """The extract's bytes: Latin-1 and CRLF as published (UTF-8 where asked)."""
    return "\r\n".join([header, *(COMTRADE_ROWS if rows is None else rows)]).encode(encoding) + b"\r\n"
