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

Usage: python raw/derive_kz_stats_snapshot.py [--shared PATH]   (stdlib + python-calamine)
"""

from __future__ import annotations

import argparse
import io
import math
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from python_calamine import CalamineWorkbook

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "raw" / "trade"
BNS_YEARS = range(2019, 2024)
DOTS_KAZAKHSTAN = "DOTS_103.xlsx"
# the IMF portal's number of each EU member state's workbook (and of Belgium-Luxembourg, Czechoslovakia)
DOTS_MEMBERS = (12, 19, 20, 30, 49, 52, 53, 54, 55, 65, 71, 72, 77, 80, 91, 97, 99, 111, 116, 117, 123, 139,
                158, 159, 161, 175, 176, 182, 189)
MEMBER_ROWS_KEPT = ("World", "Kazakhstan, Rep. of")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def check(name: str, condition: bool, detail: str) -> None:
    if not condition:
        raise SystemExit(f"VERIFY FAILED {name}: {detail}")


def sheets_of(path: Path) -> list[tuple[str, list[list]]]:
    """Every sheet on its own grid (row 1 and column A included), as the project's reader sees it."""
    workbook = CalamineWorkbook.from_path(str(path))
    return [(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in workbook.sheet_names]


# --- a minimal, deterministic .xlsx writer (SpreadsheetML, inline strings) ----------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    "</fill></fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    "</styleSheet>"
)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_xml(ref: str, value) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SystemExit(f"VERIFY FAILED cell {ref}: unsupported value {value!r}")
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    check(ref, math.isfinite(value), f"not a finite number: {value!r}")
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def sheet_xml(rows: list[list]) -> str:
    lines = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell_xml(f"{column_letter(c)}{r}", v) for c, v in enumerate(row) if v != "")
        if cells:
            lines.append(f'<row r="{r}">{cells}</row>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}">'
            f"<sheetData>{''.join(lines)}</sheetData></worksheet>")


def workbook_bytes(sheets: list[tuple[str, list[list]]]) -> bytes:
    names = "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                    for i, (name, _) in enumerate(sheets, start=1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{names}</sheets></workbook>')
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(sheets) + 1))
    styles_rel = f'<Relationship Id="rId{len(sheets) + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>'
    members = [
        ("[Content_Types].xml", CONTENT_TYPES.format(sheets="".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_TYPE}"/>'
            for i in range(1, len(sheets) + 1)))),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         f"{rels}{styles_rel}</Relationships>"),
        ("xl/styles.xml", STYLES),
        *[(f"xl/worksheets/sheet{i}.xml", sheet_xml(rows)) for i, (_, rows) in enumerate(sheets, start=1)],
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"), compresslevel=9)
    return buffer.getvalue()


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
        path.write_bytes(workbook_bytes(sheets))
        verify(name, path, sheets)
        cells = sum(1 for _, rows in sheets for row in rows for v in row if v != "")
        print(f"{name}: {len(sheets)} sheets, {cells} cells from {source.relative_to(shared)} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
