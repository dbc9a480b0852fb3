"""Derive the embedded finance snapshot in raw/finance/ from the shared wiiw FDI Database exports.

Why this exists: the default build and CI run offline, so the repository carries the REAL figures
of the wiiw FDI Database for Kazakhstan (source: National Bank of Kazakhstan) in wiiw's own CSV
export layout. This script re-serialises the two shared exports, every row and cell as written and
in wiiw's order (text quoted, numbers and wiiw's '.' bare, LF line endings), reads each written file
back, and checks that it holds the same cells, the same row count and the same sums per
(direction, unit, year) as its source, failing loudly on any difference. The by-partner export
(wiiw_partners.csv) and the by-activity export (wiiw-fdi-database.csv) are taken whole;
industrial.csv, a third party's copy of the activity table rounded to 10 significant digits, is not
used. Provenance is in raw/SOURCES.md (finance section).

Usage: python raw/derive_finance_snapshot.py [--shared PATH]   (standard library only)
Output is deterministic: gzip with mtime 0 and no stored file name.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "raw" / "finance"

# shared export -> (snapshot file, the columns before the years, the years the export starts with)
EXPORTS = {
    "wiiw_partners.csv": (
        "wiiw_fdi_KZ_inward_by_partner_2003-2021.csv.gz",
        [
            "Tree Level 1",
            "Country-Code",
            "Country",
            "Direction",
            "Partner-Code",
            "Partner",
            "Unit",
            "Footnotes",
            "Sources",
        ],
    ),
    "wiiw-fdi-database.csv": (
        "wiiw_fdi_KZ_inward_by_activity_2000-2021.csv.gz",
        [
            "Tree Level 1",
            "Country-Code",
            "Country",
            "Direction",
            "Classification",
            "Digit",
            "Industry/Product",
            "Unit",
            "Footnotes",
            "Sources",
        ],
    ),
}
YEAR_COLUMN = re.compile(r"_[12][0-9]{3}")
NOT_AVAILABLE = "."  # wiiw's mark for a figure not published
BARE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:E-?[0-9]+)?|\.|_[12][0-9]{3}")  # unquoted in wiiw's exports (4.7E-5)


def check(name: str, condition: bool, detail: str) -> None:
    if not condition:
        raise SystemExit(f"VERIFY FAILED {name}: {detail}")


def read_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def wiiw_line(cells: list[str]) -> str:
    """One line as wiiw writes it: text in double quotes, numbers, '.' and year names bare."""
    return ",".join(cell if BARE.fullmatch(cell) else '"' + cell.replace('"', '""') + '"' for cell in cells)


def write_gz(path: Path, text: str) -> None:
    """Gzip byte-for-byte reproducibly: mtime 0, no stored file name."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def totals(name: str, rows: list[list[str]], dimensions: list[str]) -> dict[tuple, tuple[int, int, Decimal]]:
    """(direction, unit, year) -> (cells, cells not available, exact sum of the published figures)."""
    header, body = rows[0], rows[1:]
    direction, unit = header.index("Direction"), header.index("Unit")
    years = range(len(dimensions), len(header))
    sums: dict[tuple, list] = defaultdict(lambda: [0, 0, Decimal(0)])
    for row in body:
        check(name, len(row) == len(header), f"a row of {len(row)} cells under a header of {len(header)}: {row[:6]}")
        for i in years:
            total = sums[(row[direction], row[unit], header[i])]
            total[0] += 1
            if row[i] == NOT_AVAILABLE:
                total[1] += 1
            else:
                total[2] += Decimal(row[i])
    return {key: tuple(value) for key, value in sums.items()}


def derive(shared: Path, source_name: str, out_name: str, dimensions: list[str]) -> None:
    text = (shared / source_name).read_text(encoding="utf-8")
    rows = read_rows(text)
    header = rows[0]
    check(out_name, header[: len(dimensions)] == dimensions, f"columns {header[: len(dimensions)]}")
    check(out_name, all(YEAR_COLUMN.fullmatch(c) for c in header[len(dimensions) :]), f"year columns {header}")
    for row in rows[1:]:
        check(out_name, all(BARE.fullmatch(c) and c[0] != "_" for c in row[len(dimensions) :]), f"a cell in {row[:7]}")
    out = OUT / out_name
    write_gz(out, "".join(wiiw_line(row) + "\n" for row in rows))
    with gzip.open(out, "rt", encoding="utf-8", newline="") as handle:
        written = read_rows(handle.read())
    check(out_name, written == rows, "the written cells differ from the source")
    before, after = totals(source_name, rows, dimensions), totals(out_name, written, dimensions)
    check(out_name, before == after, "per (direction, unit, year) counts or sums differ")
    cells = sum(count for count, _, _ in after.values())
    missing = sum(not_available for _, not_available, _ in after.values())
    print(
        f"OK {out_name}: {len(written) - 1} rows as published, {len(header) - len(dimensions)} years, "
        f"{cells} cells ({missing} '.'); {len(after)} (direction, unit, year) sums equal"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="folder of the shared publisher extracts (default ../shared/data)",
    )
    finance = parser.parse_args().shared / "finance"
    OUT.mkdir(parents=True, exist_ok=True)
    for source_name, (out_name, dimensions) in EXPORTS.items():
        derive(finance, source_name, out_name, dimensions)


if __name__ == "__main__":
    main()
