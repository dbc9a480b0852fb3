"""Small wiiw FDI Database exports in wiiw's exact layout, cut from the REAL lines of the embedded
snapshot (raw/finance, itself wiiw's export re-serialised as published): no figure is typed here.

Lines are kept as wiiw writes them (text quoted, numbers and '.' bare), so a fixture is the real
file with some lines left out; the bad variants change one cell of a real line.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from conftest import REPO

SNAPSHOT = REPO / "raw" / "finance"
PARTNER_FILE = "wiiw_fdi_KZ_inward_by_partner_2003-2021.csv.gz"
ACTIVITY_FILE = "wiiw_fdi_KZ_inward_by_activity_2000-2021.csv.gz"
STOCK, INFLOW = "FDI inward stock", "FDI inflow"
EUR_MILLION, PCT_OF_TOTAL = "EUR m", "in % of total"


def snapshot_lines(name: str, folder: Path = SNAPSHOT) -> list[str]:
    """The header and every line of a snapshot file, as written."""
    with gzip.open(folder / name, "rt", encoding="utf-8", newline="") as handle:
        return handle.read().splitlines()


def cells(line: str) -> list[str]:
    return next(csv.reader(io.StringIO(line)))


def partner_lines(*codes: str, directions: tuple[str, ...] = (STOCK,), units=(EUR_MILLION, PCT_OF_TOTAL)) -> list[str]:
    """The real lines of these partners (in file order), for the directions and units asked."""
    header, *lines = snapshot_lines(PARTNER_FILE)
    index = {name: i for i, name in enumerate(cells(header))}
    return [
        line
        for line in lines
        if (row := cells(line))[index["Partner-Code"]] in codes
        and row[index["Direction"]] in directions
        and row[index["Unit"]] in units
    ]


def activity_lines(*labels_starting: str, directions: tuple[str, ...] = (STOCK,)) -> list[str]:
    """The real NACE Rev. 2 lines whose activity label starts with one of these (e.g. 'Total', 'B  ', 'C')."""
    header, *lines = snapshot_lines(ACTIVITY_FILE)
    index = {name: i for i, name in enumerate(cells(header))}
    return [
        line
        for line in lines
        if (row := cells(line))[index["Classification"]] == "NACE Rev. 2"
        and row[index["Direction"]] in directions
        and row[index["Industry/Product"]].startswith(labels_starting)
    ]


def partner_header() -> str:
    return snapshot_lines(PARTNER_FILE)[0]


def activity_header() -> str:
    return snapshot_lines(ACTIVITY_FILE)[0]


def wiiw(header: str, lines: list[str]) -> str:
    return "\n".join([header, *lines]) + "\n"


def partners(*codes: str, **kwargs) -> str:
    """A by-partner export with only these partners' real lines."""
    return wiiw(partner_header(), partner_lines(*codes, **kwargs))


def with_cell(line: str, column: str, value: str, header: str | None = None) -> str:
    """A real line with one cell replaced, written back as wiiw writes it: text quoted, year cells bare."""
    names = cells(header or partner_header())
    row = cells(line)
    row[names.index(column)] = value
    text_columns = names.index("Sources") + 1
    return ",".join('"' + c.replace('"', '""') + '"' if i < text_columns else c for i, c in enumerate(row))
