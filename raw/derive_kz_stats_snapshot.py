"""Derive the embedded snapshot of Kazakhstan's own trade statistics in raw/trade/ from the shared extracts.

Why this exists: the default build and CI run offline, so the repository carries REAL figures in the
publishers' own formats. Two sources, both Excel workbooks:

- Kazakhstan's Bureau of National Statistics, "main indicators of foreign trade by country", 2019-2023
  editions (.xls): every sheet and every cell re-serialised as .xlsx (cell values only: no formatting,
  merged ranges or column widths), same sheet names, same cell positions.
- IMF Direction of Trade Statistics: Kazakhstan's workbook (DOTS_103) whole; the EU member states'
  workbooks (and Belgium-Luxembourg's, Czechoslovakia's) cut to the rows the marts need: the title
  lines and the header of years as published, then the partner rows "World" and "Kazakhstan, Rep. of"
  (rows of other partners are left out; the rows kept move up, no cell within them changes).

No value is changed: numbers are written as Python's shortest round-trip form of the double calamine
reads, text (the IMF's "0.14 e" estimates included) as written. The script reads every output back
with calamine and stops with VERIFY FAILED unless each cell equals its source cell, and unless row
counts and sums of the numeric cells per sheet agree. Output is deterministic (zip members in a fixed
order dated 1980-01-01, no timestamps inside): rerunning gives byte-identical files.
Provenance: raw/SOURCES.md, section "Kazakhstan's own trade statistics".

Usage: .venv/bin/python raw/derive_kz_stats_snapshot.py [--shared PATH]   (the project's environment:
pipelines.core.excel reads with python-calamine, pipelines.core.xlsx_writer writes)
"""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path

from pipelines.core.excel import read_workbook
from pipelines.core.xlsx_writer import write_xlsx

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "raw" / "trade"
BNS_YEARS = range(2019, 2024)
DOTS_KAZAKHSTAN = "DOTS_103.xlsx"
# the IMF portal's number of each EU member state's workbook (and of Belgium-Luxembourg, Czechoslovakia)
DOTS_MEMBERS = (12, 19, 20, 30, 49, 52, 53, 54, 55, 65, 71, 72, 77, 80, 91, 97, 99, 111, 116, 117, 123, 139,
                158, 159, 161, 175, 176, 182, 189)
MEMBER_ROWS_KEPT = ("World", "Kazakhstan, Rep. of")


def check(name: str, condition: bool, detail: str) -> None:
    if not condition:
        raise SystemExit(f"VERIFY FAILED {name}: {detail}")


def sheets_of(path: Path) -> list[tuple[str, list[list]]]:
    """Every sheet on its own grid (row 1 and column A included), as the project's reader sees it."""
    return [(sheet.name, sheet.rows) for sheet in read_workbook(path)]


# --- the two sources ------------------------------------------------------------------------------------


def trimmed(rows: list[list]) -> list[list]:
    """The grid without trailing empty cells and rows (what a re-read of the written file gives back)."""
    out = [list(row) for row in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def numeric_sum(rows: list[list]) -> float:
    return math.fsum(v for row in rows for v in row if isinstance(v, int | float) and not isinstance(v, bool))


def dots_member_rows(rows: list[list], source: str) -> list[list]:
    """Title lines and the header of years as published, then the 'World' and Kazakhstan rows."""
    header = next((r for r, row in enumerate(rows) if any(re.fullmatch(r"(?:19|20)[0-9]{2}", str(v)) for v in row)),
                  None)
    check(source, header is not None, "no header row of years")
    names = [str(v).strip() for row in rows for v in row[:3] if str(v).strip() in MEMBER_ROWS_KEPT]
    check(source, sorted(set(names)) == sorted(MEMBER_ROWS_KEPT), f"rows {MEMBER_ROWS_KEPT} not all present")
    kept = [row for row in rows[header + 1:] if any(str(v).strip() in MEMBER_ROWS_KEPT for v in row[:3])]
    check(source, len(kept) == len(MEMBER_ROWS_KEPT), f"{len(kept)} rows kept, expected one each of {MEMBER_ROWS_KEPT}")
    return rows[: header + 1] + kept


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.split(",")[0].casefold()).strip("_")


def outputs(shared: Path) -> dict[str, tuple[Path, list[tuple[str, list[list]]]]]:
    """Output file name -> (source file, the sheets to write)."""
    plan = {}
    for year in BNS_YEARS:
        source = shared / "trade" / f"kazakhstan_bns_foreign_trade_by_country_{year}.xls"
        plan[f"kazakhstan_bns_foreign_trade_by_country_{year}.xlsx"] = (source, sheets_of(source))
    source = shared / "trade" / "imf_dots" / DOTS_KAZAKHSTAN
    plan["imf_dots_103_kazakhstan_by_partner_1992-2020.xlsx"] = (source, sheets_of(source))
    for number in DOTS_MEMBERS:
        source = shared / "trade" / "imf_dots" / f"DOTS_{number}.xlsx"
        sheets = [(name, dots_member_rows(rows, f"{source.name}:{name}")) for name, rows in sheets_of(source)]
        reporter = next(str(v) for v in sheets[0][1][3] if str(v).strip())
        plan[f"imf_dots_{number}_{slug(reporter)}_world_and_kazakhstan_rows.xlsx"] = (source, sheets)
    return plan


def verify(name: str, path: Path, expected: list[tuple[str, list[list]]]) -> None:
    written = sheets_of(path)
    check(name, [n for n, _ in written] == [n for n, _ in expected], "sheet names differ")
    for (sheet, got), (_, want) in zip(written, expected, strict=True):
        got, want = trimmed(got), trimmed(want)
        check(f"{name}:{sheet}", len(got) == len(want), f"{len(got)} rows written, {len(want)} in the source")
        for r, (a, b) in enumerate(zip(got, want, strict=True), start=1):
            check(f"{name}:{sheet} row {r}", a == b, f"{a!r} != {b!r}")
        check(f"{name}:{sheet}", numeric_sum(got) == numeric_sum(want), "sums of numeric cells differ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    shared = parser.parse_args().shared
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (source, sheets) in outputs(shared).items():
        path = OUT / name
        path.write_bytes(write_xlsx(sheets))
        verify(name, path, sheets)
        cells = sum(1 for _, rows in sheets for row in rows for v in row if v != "")
        print(f"{name}: {len(sheets)} sheets, {cells} cells from {source.relative_to(shared)} "
              f"({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
