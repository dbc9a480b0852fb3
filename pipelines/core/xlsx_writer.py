"""A minimal, deterministic .xlsx writer: cell values only (numbers and inline strings), no styles beyond
Excel's default.

Why it exists: the raw snapshot re-serialises publishers' workbooks (raw/derive_kz_stats_snapshot.py) and
the tests build workbooks in the publishers' layouts; both need the same bytes on every run, which the
usual writers do not give (they stamp the time into the file). The pipeline itself only reads Excel.
"""

from __future__ import annotations

import io
import math
import zipfile
from xml.sax.saxutils import escape, quoteattr

from pipelines.core.excel import column_letter

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_NS = "http://schemas.openxmlformats.org/package/2006"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SPREADSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
STYLES = (
    f'{XML}<styleSheet xmlns="{MAIN_NS}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    "</styleSheet>"
)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the zip epoch: no time of writing in the file


def cell_xml(ref: str, value: object) -> str:
    """One cell: text inline (line breaks and spaces kept), numbers in Python's shortest round-trip form."""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"cell {ref}: only text and finite numbers are written, not {value!r}")
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def sheet_xml(rows: list[list]) -> str:
    """A worksheet with the cells at their positions (rows[0] is row 1, column A first); '' is an empty cell."""
    lines = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell_xml(f"{column_letter(c)}{r}", v) for c, v in enumerate(row) if v != "")
        if cells:
            lines.append(f'<row r="{r}">{cells}</row>')
    return f'{XML}<worksheet xmlns="{MAIN_NS}"><sheetData>{"".join(lines)}</sheetData></worksheet>'


def write_xlsx(sheets: list[tuple[str, list[list]]]) -> bytes:
    """The bytes of a workbook holding the given (sheet name, rows), in order."""
    numbers = range(1, len(sheets) + 1)
    content_types = (
        f'{XML}<Types xmlns="{PACKAGE_NS}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEET_TYPE}.styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SPREADSHEET_TYPE}.worksheet+xml"/>'
            for i in numbers
        )
        + "</Types>"
    )
    root_rels = (
        f'{XML}<Relationships xmlns="{PACKAGE_NS}/relationships">'
        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'{XML}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _) in zip(numbers, sheets, strict=True)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        f'{XML}<Relationships xmlns="{PACKAGE_NS}/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in numbers
        )
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>'
        + "</Relationships>"
    )
    members = [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/styles.xml", STYLES),
        *[(f"xl/worksheets/sheet{i}.xml", sheet_xml(rows)) for i, (_, rows) in zip(numbers, sheets, strict=True)],
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"), compresslevel=9)
    return buffer.getvalue()
