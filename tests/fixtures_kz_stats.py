"""Small workbooks in the layouts of Kazakhstan's Bureau of National Statistics and of the IMF's DOTS, cut
from the REAL workbooks of the embedded raw snapshot (raw/trade/, itself derived from ../shared/data/trade):

- BNS: the sheets "2023" and "2022" of kazakhstan_bns_foreign_trade_by_country_2023.xlsx (title, unit and
  header lines as published, then the first data rows: the total, the CIS, the EAEU, Armenia, Belarus,
  Kyrgyzstan, Russia), and the sheets of the 2022 edition (kazakhstan_bns_..._2022.xlsx) for vintages.
- DOTS: Kazakhstan's workbook (imf_dots_103_...xlsx), title lines and header of years as published, then
  the partner rows named below (the repeated "Australia" row, IMF estimates among them).

Bad variants change one cell of these grids; their files are named generated_bad_*.xlsx.
"""

from __future__ import annotations

import copy
from pathlib import Path

from conftest import REPO
from pipelines.core.excel import read_workbook
from pipelines.core.xlsx_writer import write_xlsx

SNAPSHOT = REPO / "raw" / "trade"
BNS_2023 = SNAPSHOT / "kazakhstan_bns_foreign_trade_by_country_2023.xlsx"
BNS_2022 = SNAPSHOT / "kazakhstan_bns_foreign_trade_by_country_2022.xlsx"
DOTS_KAZAKHSTAN = SNAPSHOT / "imf_dots_103_kazakhstan_by_partner_1992-2020.xlsx"
DOTS_GERMANY = SNAPSHOT / "imf_dots_77_germany_world_and_kazakhstan_rows.xlsx"
BNS_DATA_ROWS = 7  # the total, the CIS, the EAEU, Armenia, Belarus, Kyrgyzstan, Russia
DOTS_PARTNERS = ("Australia", "World", "Italy", "Belgium-Luxembourg", "China, P.R.: Mainland", "Russian Federation")

Sheets = list[tuple[str, list[list]]]


def grid(path: Path) -> Sheets:
    return [(sheet.name, copy.deepcopy(sheet.rows)) for sheet in read_workbook(path)]


def header_row(rows: list[list], text: str) -> int:
    """0-based row of the first cell equal to `text`."""
    return next(r for r, row in enumerate(rows) if any(str(v).strip() == text for v in row))


def bns_sheets(path: Path = BNS_2023, sheet_names: tuple[str, ...] = ("2023",)) -> Sheets:
    """The named table sheets of a real BNS workbook, cut after the first data rows."""
    out = []
    for name, rows in grid(path):
        if name in sheet_names:
            header = header_row(rows, "Товарооборот")
            out.append((name, rows[: header + 2 + BNS_DATA_ROWS]))
    return out


def dots_sheets(path: Path = DOTS_KAZAKHSTAN, partners: tuple[str, ...] = DOTS_PARTNERS) -> Sheets:
    """Both sheets of a real DOTS workbook: title lines, header of years, then the named partners' rows."""
    out = []
    for name, rows in grid(path):
        header = next(r for r, row in enumerate(rows) if str(row[2] if len(row) > 2 else "").strip().isdigit())
        kept = [row for row in rows[header + 1 :] if str(row[1]).strip() in partners]
        out.append((name, rows[: header + 1] + kept))
    return out


def workbook(path: Path, sheets: Sheets) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(write_xlsx(sheets))
    return path
