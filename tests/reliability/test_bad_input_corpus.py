"""One corpus of bad raw files, all four domains: what each does to a load, in one table.

Every case runs the way a build lands a folder: `land_folder` with the domain's raw table and
reader (as wired in pipelines/assets/{trade,energy,diplomacy}.py). First a good, real file of
the domain lands (a file of the embedded raw/ snapshot); then the bad file is dropped beside it
and the folder lands again. Then, by what the case expects:

- Refused: a RawFileError that names the file (and the row and column where they mean
  something); the raw table(s) hold exactly the good file's rows, nothing of the bad file; and
  audit.load_log got one 'rejected' row for the bad file, its message naming the file.
- SuiteFails: the reader accepts the values (out of range, future periods) because the domain's
  Great Expectations suite is the guard: the suite passes on the good file and fails on the bad
  one with exactly the expected expectations, the sample pointing at the bad line.
- Lands: a strange but valid file (a name with quotes or traversal-looking parts, extra named
  columns that a reader reading by name ignores) lands under its own name, beside the good rows.

Generated bad content says so in its file name (`generated_bad_...`); real files in the wrong
folder keep their real names. The scattered unit tests (tests/unit/test_bad_*.py,
test_event_catalogue.py) stay: they pin each reader's messages; this is the one place that shows
every kind of bad input side by side.
"""

from __future__ import annotations

import csv
import gzip
import io
import random
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest

from conftest import REPO
from fixtures_cn8 import BROWSER_ROWS, EXTRACT_HEADER, EXTRACT_ROWS, browser, extract
from fixtures_comtrade import COMTRADE_HEADER, COMTRADE_ROWS, comtrade
from fixtures_energy import (
    FACTS_ROWS,
    REGISTER_HEADER,
    REGISTER_ROWS,
    SDMX_OIL_HEADER,
    SDMX_OIL_ROWS,
    TSV_OIL_ROWS,
    facts,
    register,
    sdmx_oil,
    tsv_oil,
)
from fixtures_finance import PARTNER_FILE, cells, partner_header, partner_lines, wiiw, with_cell
from fixtures_gdelt import (
    GDELT1_EU_MEMBER,
    GDELT1_FIELDS,
    GDELT1_KAZ,
    GDELT1_OTHER,
    GDELT1_ROWS,
    GDELT2_KAZ_CHINA,
    GDELT2_SAMPLE_HEADER,
    gdelt_text,
    with_fields,
    zipped,
)
from fixtures_icews import ICEWS_HEADER, ICEWS_ROWS, icews
from fixtures_kz_stats import BNS_2023, DOTS_KAZAKHSTAN, bns_sheets, dots_sheets, header_row
from fixtures_trade import (
    RELATIONAL_HEADER,
    RELATIONAL_ROWS,
    SDMX_ROWS,
    bulk_18,
    relational,
    sdmx,
)
from pipelines.core.errors import RawFileError
from pipelines.core.landing import land_folder
from pipelines.core.tables import RawTable
from pipelines.core.validation import run_suite
from pipelines.core.xlsx_writer import write_xlsx
from pipelines.domains import raw_sources
from pipelines.settings import load_settings

SNAPSHOT = REPO / "raw"


# --- the domains, as the registry (pipelines/domains) wires them -------------------------------

# A real file of the embedded snapshot per raw folder, landed before the bad one. (FDI: the by-partner
# export; the by-activity table stays empty beside it.)
GOOD_FILES = {
    "trade": "easy_comext_exports_to_KZ_by_reporter_monthly_2019-2024.csv.gz",
    "energy": "eurostat_nrg_ti_oil_crude_from_KZ_by_importer_annual_1990-2022.tsv.gz",
    "events": "kz_eu_diplomatic_events.csv",
    "gdelt": "20201115081500.export.KAZ_rows.CSV.zip",
    "finance": PARTNER_FILE,
}
SOURCES = {source.folder: source for _, source in raw_sources()}


@dataclass(frozen=True)
class Domain:
    raw_table: RawTable
    reader: Callable
    good_file: str
    suites: dict  # raw table name -> core.domain.Suite
    other_tables: tuple[RawTable, ...] = ()


def _domain(folder: str) -> Domain:
    """The raw folder as the raw asset lands it (bulk files filtered to the default partners)."""
    source = SOURCES[folder]
    reader = source.reader(load_settings())
    return Domain(source.table, reader, GOOD_FILES[folder], dict(source.suites), source.other_tables)


DOMAINS = {folder: _domain(folder) for folder in SOURCES}


# --- what a case expects ----------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    row: int | None = None  # asserted when given: the line in the file (header = 1)
    column: str | None = None
    reason: str | None = None  # a part of the message
    bounded: bool = False  # an enormous file: time and memory are asserted too


@dataclass(frozen=True)
class SuiteFails:
    failures: dict  # suite table -> {(expectation, column), ...}: exactly these fail
    line: int | None = None  # the bad line, named in the samples of raw tables that carry source_line


@dataclass(frozen=True)
class Lands:
    rows: int | None = None  # rows of the raw table under the file's name (None: as many as the load kept, > 0)


Content = bytes | str | Callable[[Path], None]


class Case(NamedTuple):
    id: str
    domain: str
    name: str
    content: Content
    expect: Refused | SuiteFails | Lands


# --- content builders (generated variants of real rows) ------------------------------------------


def real(domain: str, name: str) -> bytes:
    return (SNAPSHOT / domain / name).read_bytes()


REAL_TRADE = "easy_comext_exports_to_KZ_by_reporter_monthly_2019-2024.csv.gz"
REAL_TRADE_SDMX = "comext_ds045409_7partners_by_member_state_monthly_2020-2022.sdmx.csv.gz"
REAL_REGISTER = "dg_ener_crude_oil_import_register_EU28_monthly_2013-2019.csv.gz"
REAL_OIL_TSV = "eurostat_nrg_ti_oil_crude_from_KZ_by_importer_annual_1990-2022.tsv.gz"
REAL_FACTS = "energy_reference_facts.csv"
REAL_CATALOGUE = "kz_eu_diplomatic_events.csv"
REAL_GDELT = "20201114074500.export.KAZ_rows.CSV.zip"
REAL_CRM_EXTRACT = "comext_bulk_extract_EU_imports_critical_raw_materials_cn8_annual_2022-2024.csv.gz"
REAL_BROWSER_EXPORT = "comext_ds045409_databrowser_EU_exports_to_KZ_sanctioned_goods_monthly_2020-2022.csv.gz"
REAL_COMTRADE = "un_comtrade_DE_imports_HS2709_by_origin_and_consignment_2019-2024.csv.gz"
REAL_ICEWS = "icews_kazakhstan_events_sample_2005-2018.tsv.gz"


def fdi(*lines: str, header: str | None = None) -> str:
    """A wiiw by-partner export of real lines of the snapshot (fixtures_finance)."""
    return wiiw(header or partner_header(), list(lines))


def fdi_cell(line: str, column: str) -> str:
    return cells(line)[cells(partner_header()).index(column)]


WORLD_STOCK, WORLD_SHARE, NL_STOCK, NL_SHARE = partner_lines("WORLD", "NL")


def catalogue_rows() -> list[list[str]]:
    """Header and the first real rows of the embedded catalogue, ids moved out of its range."""
    with open(SNAPSHOT / "events" / REAL_CATALOGUE, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, first, second = rows[0], rows[1][:], rows[2][:]
    first[0], second[0] = "KZEU-9001", "KZEU-9002"
    return [header, first, second]


def catalogue(*rows: list[str], header: list[str] | None = None) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header or catalogue_rows()[0], *rows])
    return buffer.getvalue()


def catalogue_with(column: str, value: str) -> str:
    header, first, second = catalogue_rows()
    first[header.index(column)] = value
    return catalogue(first, second)


def cut(data: bytes, keep: float = 0.5) -> bytes:
    return data[: int(len(data) * keep)]


def corrupt_zip() -> bytes:
    """A zip of real GDELT rows whose deflated data is damaged in the middle."""
    data = bytearray(zipped(gdelt_text(GDELT1_ROWS)))
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(16)
    return bytes(data)


def zip_of(text: str, member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


def garbage(seed: int, size: int = 64 * 1024) -> bytes:
    """Binary noise (seeded, so the same bytes every run); never starts with a gzip/zip magic."""
    return b"\x00\xff" + random.Random(seed).randbytes(size)


ENORMOUS = 50 * 2**20  # 50 MiB on one line, written in 1 MiB pieces


def enormous_line(prefix: bytes, fill: bytes, before: bytes = b"", after: bytes = b"") -> Callable[[Path], None]:
    """A file with one 50 MiB line (no newline in it), generated on the fly."""

    def write(path: Path) -> None:
        piece = fill * (2**20 // len(fill))
        with open(path, "wb") as handle:
            handle.write(before + prefix)
            for _ in range(ENORMOUS // len(piece)):
                handle.write(piece)
            handle.write(after)

    return write


def symlink_outside(path: Path) -> None:
    """A link in the raw folder to a file outside it (a generated, password-file-like text)."""
    outside = path.parent.parent.parent / "outside" / "generated_bad_passwd"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    path.symlink_to(outside)


def bns_line(label: str) -> int:
    """The Excel row of `label` in the real BNS 2023 table the BNS cases start from."""
    return header_row(bns_sheets()[0][1], label) + 1


def bns_changed(label: str, column: int, value: str) -> bytes:
    """The real BNS 2023 table (its first rows) with one cell changed, in the row of `label`."""
    name, rows = bns_sheets()[0]
    rows[bns_line(label) - 1][column] = value
    return write_xlsx([(name, rows)])


def bns_with_repeated(label: str) -> bytes:
    """The real BNS 2023 table with the row of `label` listed a second time at its end."""
    name, rows = bns_sheets()[0]
    return write_xlsx([(name, [*rows, list(rows[bns_line(label) - 1])])])


def dots_line(sheet: str, partner: str, occurrence: int = 0) -> int:
    """The Excel row of a partner in the real DOTS workbook of Kazakhstan the DOTS cases start from."""
    rows = dict(dots_sheets())[sheet]
    return [r for r, row in enumerate(rows) if row[1] == partner][occurrence] + 1


def dots_changed(sheet: str, row: int, column: int, value: str) -> bytes:
    """Kazakhstan's real DOTS workbook (a few partners) with one cell changed."""
    sheets = dots_sheets()
    dict(sheets)[sheet][row - 1][column] = value
    return write_xlsx(sheets)


# --- the corpus ---------------------------------------------------------------------------------

TODAY_PLUS = "2099"  # a period in the future (the suites bound periods by the run's date)
BETWEEN = "expect_column_values_to_be_between"

CASES: list[Case | object] = [
    # ----- damaged containers
    Case(
        "trade: truncated gzip (real SDMX extract cut in half)",
        "trade",
        "generated_bad_truncated.sdmx.csv.gz",
        cut(real("trade", REAL_TRADE_SDMX)),
        Refused(reason="GZIP"),
    ),
    Case(
        "trade: a zip archive (Comext ships .7z/.zip: refused, extract it)",
        "trade",
        "generated_bad_relational.csv.zip",
        zip_of(relational(), "relational.csv"),
        Refused(reason="zip archive"),
    ),
    Case(
        "energy: truncated gzip (real DG ENER register, first 4 KiB)",
        "energy",
        "generated_bad_truncated_register.csv.gz",
        real("energy", REAL_REGISTER)[:4096],
        Refused(reason="GZIP"),
    ),
    Case(
        "gdelt: truncated zip (real 2.0 batch cut in half)",
        "gdelt",
        "generated_bad_truncated.export.CSV.zip",
        cut(real("gdelt", REAL_GDELT)),
        Refused(reason="not a readable zip archive"),
    ),
    Case(
        "gdelt: corrupt zip (deflate data damaged)",
        "gdelt",
        "generated_bad_corrupt.export.CSV.zip",
        corrupt_zip(),
        Refused(reason="not a readable zip archive"),
    ),
    Case(
        "gdelt: truncated gzip",
        "gdelt",
        "generated_bad_truncated.export.CSV.gz",
        cut(gzip.compress(gdelt_text(GDELT1_ROWS * 20).encode(), mtime=0)),
        Refused(reason="GZIP"),
    ),
    # ----- wrong delimiter
    Case(
        "trade: semicolon CSV",
        "trade",
        "generated_bad_semicolon.csv",
        relational().replace(",", ";"),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "energy: semicolon SDMX-CSV",
        "energy",
        "generated_bad_semicolon.csv",
        sdmx_oil().replace(",", ";"),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "events: semicolon catalogue",
        "events",
        "generated_bad_semicolon.csv",
        catalogue(*catalogue_rows()[1:]).replace(",", ";"),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "gdelt: semicolon-separated file",
        "gdelt",
        "generated_bad_semicolon.CSV",
        sdmx_oil().replace(",", ";"),
        Refused(row=1, reason="semicolon-separated"),
    ),
    # ----- missing column
    Case(
        "trade: bulk file without VALUE_EUR",
        "trade",
        "generated_bad_bulk_missing_column.dat",
        bulk_18().replace("VALUE_EUR,", "VALUE,"),
        Refused(row=1, column="VALUE_EUR"),
    ),
    Case(
        "energy: SDMX-CSV without unit",
        "energy",
        "generated_bad_sdmx_missing_unit.csv",
        sdmx_oil([r.replace(",THS_T,", ",") for r in SDMX_OIL_ROWS], header=SDMX_OIL_HEADER.replace(",unit", "")),
        Refused(row=1, column="unit", reason="missing column"),
    ),
    Case(
        "events: catalogue without notes",
        "events",
        "generated_bad_missing_notes.csv",
        catalogue(*[r[:-1] for r in catalogue_rows()[1:]], header=catalogue_rows()[0][:-1]),
        Refused(row=1, column="notes", reason="missing column"),
    ),
    Case(
        "gdelt: a line with 50 of 58 fields",
        "gdelt",
        "generated_bad_too_few_fields.CSV",
        gdelt_text([GDELT1_OTHER, "\t".join(GDELT1_KAZ.split("\t")[:50])]),
        Refused(row=2, column=GDELT1_FIELDS[50], reason="50 tab-separated fields"),
    ),
    # ----- extra column. Header-based readers read by name: an extra *named* column is ignored
    # (the 'Lands' cases below). Where the format forbids one, it fails:
    Case(
        "gdelt: a line with 59 fields (positional format)",
        "gdelt",
        "generated_bad_too_many_fields.CSV",
        gdelt_text([GDELT1_OTHER, GDELT1_EU_MEMBER, GDELT1_KAZ + "\textra"]),
        Refused(row=3, column="SOURCEURL", reason="59 tab-separated fields"),
    ),
    Case(
        "gdelt: a 2.0 header with a 62nd column",
        "gdelt",
        "generated_bad_extra_header_column.tsv",
        gdelt_text([GDELT2_KAZ_CHINA + "\tx"], header=GDELT2_SAMPLE_HEADER + "\tNOTE"),
        Refused(row=1, reason="62 tab-separated fields"),
    ),
    # a data row with more cells than the header: the row is named (read with the header's columns,
    # no sniffing: DuckDB's sniffer took the longer last line for the header until issue #8)
    Case(
        "trade: an extra cell on a data row",
        "trade",
        "generated_bad_extra_cell.csv",
        relational([RELATIONAL_ROWS[0], RELATIONAL_ROWS[1] + ",42"]),
        Refused(row=3),
    ),
    Case(
        "energy: an extra cell on a register row",
        "energy",
        "generated_bad_extra_cell.csv",
        register([REGISTER_ROWS[0], REGISTER_ROWS[1] + ",42", REGISTER_ROWS[2]]),
        Refused(row=3),
    ),
    Case(
        "energy: an extra cell on a TSV row",
        "energy",
        "generated_bad_extra_cell.tsv",
        tsv_oil([TSV_OIL_ROWS[0], TSV_OIL_ROWS[1] + "\t7 "]),
        Refused(row=3),
    ),
    Case(
        "events: an extra cell on a catalogue row",
        "events",
        "generated_bad_extra_cell.csv",
        catalogue(catalogue_rows()[1], catalogue_rows()[2] + ["x"]),
        Refused(row=3),
    ),
    # ----- other encodings
    Case(
        "trade: UTF-16 relational view",
        "trade",
        "generated_bad_utf16.csv",
        relational().encode("utf-16"),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "trade: Latin-1 French labels where UTF-8 is required",
        "trade",
        "generated_bad_latin1.csv",
        relational([RELATIONAL_ROWS[0], RELATIONAL_ROWS[2]]).encode("latin-1"),
        Refused(row=3),
    ),
    Case(
        "energy: UTF-16 register",
        "energy",
        "generated_bad_utf16.csv",
        register().encode("utf-16"),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "energy: Latin-1 reference facts",
        "energy",
        "generated_bad_latin1_facts.csv",
        facts([FACTS_ROWS[0], FACTS_ROWS[1].replace("Niger supplied", "Niger (République du Niger) supplied")]).encode(
            "latin-1"
        ),
        Refused(row=3),
    ),
    Case(
        "events: UTF-16 catalogue",
        "events",
        "generated_bad_utf16.csv",
        catalogue(*catalogue_rows()[1:]).encode("utf-16"),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "events: Latin-1 catalogue",
        "events",
        "generated_bad_latin1.csv",
        catalogue_with("location", "Bruxelles (Région de Bruxelles-Capitale)").encode("latin-1"),
        Refused(row=2),
    ),
    Case(
        "gdelt: UTF-16 export",
        "gdelt",
        "generated_bad_utf16.CSV",
        gdelt_text([GDELT1_OTHER, GDELT1_KAZ]).encode("utf-16"),
        Refused(row=1, reason="not UTF-8"),
    ),
    Case(
        "gdelt: Latin-1 export",
        "gdelt",
        "generated_bad_latin1.CSV",
        gdelt_text([GDELT1_OTHER, GDELT1_KAZ.replace("INDUSTRY", "INDUSTR\xc9")]).encode("latin-1"),
        Refused(row=2, reason="not UTF-8"),
    ),
    # ----- duplicated keys (within a file; across files a later file wins, by design)
    Case(
        "trade: duplicated key",
        "trade",
        "generated_bad_duplicate.csv",
        relational(
            [
                "Austria,Kazakhstan,Total,EXPORT,Total,Jan.-Dec. 2018,1",
                "Austria,Kazakhstan,TOTAL-Total,2-EXPORT,T-Total,201852-Jan.-Dec. 2018,2",
            ]
        ),
        Refused(row=3, column="reporter_code", reason="duplicated key"),
    ),
    Case(
        "energy: duplicated key",
        "energy",
        "generated_bad_duplicate.csv",
        register([REGISTER_ROWS[1], REGISTER_ROWS[0], REGISTER_ROWS[1]]),
        Refused(row=4, column="Reporting Country", reason="on lines 2, 4"),
    ),
    Case(
        "events: duplicated event_id",
        "events",
        "generated_bad_duplicate.csv",
        catalogue(catalogue_rows()[1], catalogue_rows()[1]),
        Refused(row=3, column="event_id", reason="duplicated key"),
    ),
    Case(
        "gdelt: duplicated GLOBALEVENTID",
        "gdelt",
        "generated_bad_duplicate.CSV",
        gdelt_text([GDELT1_KAZ, GDELT1_OTHER, with_fields(GDELT1_EU_MEMBER, GLOBALEVENTID="564137808")]),
        Refused(row=3, column="GLOBALEVENTID", reason="repeated on lines 1, 3"),
    ),
    # ----- values out of range: the readers accept numbers, the suites bound them
    Case(
        "trade: negative value",
        "trade",
        "generated_bad_negative_value.csv",
        relational([RELATIONAL_ROWS[0].replace(",5495009525", ",-5495009525")]),
        SuiteFails({"trade_flows": {(BETWEEN, "value_eur")}}, line=2),
    ),
    Case(
        "trade: value above EUR 5 trillion (a unit error)",
        "trade",
        "generated_bad_implausible_value.csv",
        relational([RELATIONAL_ROWS[0].replace(",5495009525", ",5495009525000000")]),
        SuiteFails({"trade_flows": {(BETWEEN, "value_eur")}}, line=2),
    ),
    Case(
        "energy: negative volume",
        "energy",
        "generated_bad_negative_volume.csv",
        register([REGISTER_ROWS[0].replace(",123.07,", ",-123.07,")]),
        SuiteFails({"energy_imports": {(BETWEEN, "obs_value")}}, line=2),
    ),
    Case(
        "energy: share of total imports above 1",
        "energy",
        "generated_bad_share.csv",
        register([REGISTER_ROWS[0].replace(",0.0003721451167227852,", ",1.5,")]),
        SuiteFails({"energy_imports": {(BETWEEN, "obs_value")}}, line=2),
    ),
    Case(
        "events: a date before Kazakhstan's independence",
        "events",
        "generated_bad_1850.csv",
        catalogue_with("date_start", "1850-01-01"),
        SuiteFails({"event_catalogue": {(BETWEEN, "date_start")}}, line=2),
    ),
    Case(
        "gdelt: Goldstein 15 (scale is -10..10)",
        "gdelt",
        "generated_bad_goldstein.CSV",
        gdelt_text([GDELT1_OTHER, with_fields(GDELT1_KAZ, GoldsteinScale="15.0")]),
        SuiteFails({"gdelt_events": {(BETWEEN, "goldstein_scale")}, "gdelt_actor_totals": set()}, line=2),
    ),
    Case(
        "gdelt: QuadClass 7 (1..4)",
        "gdelt",
        "generated_bad_quadclass.CSV",
        gdelt_text([GDELT1_OTHER, with_fields(GDELT1_KAZ, QuadClass="7")]),
        SuiteFails(
            {"gdelt_events": {("expect_column_values_to_be_in_set", "quad_class")}, "gdelt_actor_totals": set()}, line=2
        ),
    ),
    # ----- future periods: the same, bounded by the run's date
    Case(
        "trade: a period in 2099",
        "trade",
        "generated_bad_future.sdmx.csv",
        sdmx([SDMX_ROWS[0].replace("2021-01", f"{TODAY_PLUS}-01")]),
        SuiteFails({"trade_flows": {(BETWEEN, "period_start")}}, line=2),
    ),
    Case(
        "energy: a year 2099",
        "energy",
        "generated_bad_future.sdmx.csv",
        sdmx_oil([SDMX_OIL_ROWS[0].replace(",2022,", f",{TODAY_PLUS},")]),
        SuiteFails({"energy_imports": {(BETWEEN, "period_start")}}, line=2),
    ),
    Case(
        "events: an event in 2099",
        "events",
        "generated_bad_future.csv",
        catalogue_with("date_start", f"{TODAY_PLUS}-01-01"),
        SuiteFails({"event_catalogue": {(BETWEEN, "date_start")}}, line=2),
    ),
    Case(
        "gdelt: an event on 2099-12-31",
        "gdelt",
        "generated_bad_future.CSV",
        gdelt_text(
            [
                GDELT1_OTHER,
                with_fields(GDELT1_KAZ, SQLDATE=f"{TODAY_PLUS}1231", MonthYear=f"{TODAY_PLUS}12", Year=TODAY_PLUS),
            ]
        ),
        SuiteFails(
            {"gdelt_events": {(BETWEEN, "event_date")}, "gdelt_actor_totals": {(BETWEEN, "event_date")}}, line=2
        ),
    ),
    # ----- empty and header-only files
    Case("trade: empty file", "trade", "generated_bad_empty.csv", b"", Refused(row=1, reason="empty")),
    Case("energy: empty file", "energy", "generated_bad_empty.csv", b"", Refused(row=1, reason="empty")),
    Case("events: empty file", "events", "generated_bad_empty.csv", b"", Refused(row=1, reason="empty")),
    Case("gdelt: empty file", "gdelt", "generated_bad_empty.CSV", b"", Refused(row=1, reason="empty")),
    Case(
        "trade: header only",
        "trade",
        "generated_bad_header_only.csv",
        RELATIONAL_HEADER + "\n",
        Refused(row=2, reason="no data rows"),
    ),
    Case(
        "energy: header only",
        "energy",
        "generated_bad_header_only.csv",
        REGISTER_HEADER + "\n",
        Refused(row=2, reason="no data rows"),
    ),
    Case(
        "events: header only",
        "events",
        "generated_bad_header_only.csv",
        catalogue(),
        Refused(row=2, reason="no data rows"),
    ),
    Case(
        "gdelt: header only",
        "gdelt",
        "generated_bad_header_only.tsv",
        GDELT2_SAMPLE_HEADER + "\n",
        Refused(row=2, reason="no events"),
    ),
    # ----- a real file of one domain in another domain's folder
    Case(
        "real trade file in energy/",
        "energy",
        REAL_TRADE,
        real("trade", REAL_TRADE),
        Refused(row=1, reason="it belongs in raw/trade/"),
    ),
    Case(
        "real catalogue in energy/",
        "energy",
        REAL_CATALOGUE,
        real("events", REAL_CATALOGUE),
        Refused(row=1, reason="it belongs in raw/events/"),
    ),
    Case(
        "real GDELT rows (unzipped) in energy/",
        "energy",
        "20160728.export.CSV",
        gdelt_text(GDELT1_ROWS),
        Refused(row=1, reason="it belongs in raw/gdelt/"),
    ),
    Case(
        "real register in trade/",
        "trade",
        REAL_REGISTER,
        real("energy", REAL_REGISTER),
        Refused(row=1, reason="header not recognised"),
    ),
    Case("real GDELT zip in trade/", "trade", REAL_GDELT, real("gdelt", REAL_GDELT), Refused(reason="zip archive")),
    Case(
        "real reference facts in events/",
        "events",
        REAL_FACTS,
        real("energy", REAL_FACTS),
        Refused(row=1, reason="not recognised as the diplomatic-event catalogue"),
    ),
    Case(
        "real trade file in events/",
        "events",
        REAL_TRADE,
        real("trade", REAL_TRADE),
        Refused(row=1, reason="not recognised as the diplomatic-event catalogue"),
    ),
    Case(
        "real trade file in gdelt/",
        "gdelt",
        REAL_TRADE,
        real("trade", REAL_TRADE),
        Refused(row=1, reason="comma-separated"),
    ),
    Case(
        "real oil TSV in gdelt/",
        "gdelt",
        REAL_OIL_TSV,
        real("energy", REAL_OIL_TSV),
        Refused(row=1, reason="34 tab-separated fields on line 1"),
    ),
    Case(
        "real catalogue in gdelt/",
        "gdelt",
        REAL_CATALOGUE,
        real("events", REAL_CATALOGUE),
        Refused(row=1, reason="comma-separated"),
    ),
    # ----- one enormous line (50 MiB, no newline), generated on the fly
    Case(
        "trade: 50 MiB without a newline",
        "trade",
        "generated_bad_one_enormous_line.csv",
        enormous_line(b"", b"A"),
        Refused(row=1, reason="header not recognised", bounded=True),
    ),
    Case(
        "energy: a register header, then one 50 MiB line",
        "energy",
        "generated_bad_enormous_row.csv",
        enormous_line(REGISTER_ROWS[0].encode() + b",", b"9", before=(REGISTER_HEADER + "\n").encode()),
        Refused(row=2, bounded=True),
    ),
    Case(
        "events: a catalogue header, then one 50 MiB line",
        "events",
        "generated_bad_enormous_row.csv",
        enormous_line(b"KZEU-9001,", b"x", before=(",".join(catalogue_rows()[0]) + "\n").encode()),
        Refused(bounded=True),
    ),
    Case(
        "gdelt: one 50 MiB GDELT line (SOURCEURL)",
        "gdelt",
        "generated_bad_enormous_line.CSV",
        enormous_line(GDELT1_KAZ.rsplit("\t", 1)[0].encode() + b"\thttp://", b"x"),
        Refused(bounded=True),
    ),
    Case(
        "gdelt: a 50 MiB line between two events",
        "gdelt",
        "generated_bad_enormous_middle_line.CSV",
        enormous_line(
            GDELT1_KAZ.rsplit("\t", 1)[0].encode() + b"\thttp://",
            b"x",
            before=(GDELT1_OTHER + "\n").encode(),
            after=("\n" + GDELT1_EU_MEMBER + "\n").encode(),
        ),
        Refused(bounded=True),
    ),
    pytest.param(
        Case(
            "gdelt: a 50 MiB last line after two events",
            "gdelt",
            "generated_bad_enormous_last_line.CSV",
            enormous_line(
                GDELT1_KAZ.rsplit("\t", 1)[0].encode() + b"\thttp://",
                b"x",
                before=(GDELT1_OTHER + "\n" + GDELT1_EU_MEMBER + "\n").encode(),
            ),
            Refused(bounded=True),
        ),
        # DuckDB drops a last line longer than its read buffer (16..31 MiB) without an error: the
        # reader compares the file's line count with the rows read and refuses the file.
        id="gdelt: a 50 MiB last line after two events",
    ),
    # ----- binary garbage
    Case(
        "trade: binary garbage",
        "trade",
        "generated_bad_garbage.csv",
        garbage(1),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "energy: binary garbage",
        "energy",
        "generated_bad_garbage.csv",
        garbage(2),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "events: binary garbage",
        "events",
        "generated_bad_garbage.csv",
        garbage(3),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "gdelt: binary garbage",
        "gdelt",
        "generated_bad_garbage.CSV",
        garbage(4),
        Refused(row=1, reason="tab-separated"),
    ),
    # ----- hostile file names: quotes and SQL, traversal-looking parts, a link out of the folder
    Case(
        "trade: SQL in the name, real content: lands",
        "trade",
        "generated_bad_name_it's; DROP TABLE raw.trade_flows; --.csv.gz",
        real("trade", "easy_comext_eu27_exports_all_partners_annual_2010-2023.csv.gz"),
        Lands(),
    ),
    Case(
        "events: SQL in the name, bad content: refused cleanly",
        "events",
        "generated_bad_it's; DROP TABLE x.csv",
        catalogue(*catalogue_rows()[1:]).replace(",", ";"),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "energy: traversal-looking name, real content: lands",
        "energy",
        "generated_bad_name_..%2F..%2Fetc%2Fpasswd..\\..\\boot.ini.csv",
        real("energy", REAL_FACTS),
        Lands(rows=1),
    ),
    Case(
        "gdelt: traversal-looking name with quotes, bad content",
        "gdelt",
        "generated_bad_..\\..\\'\";--.CSV",
        gdelt_text([GDELT1_OTHER, GDELT1_KAZ]).replace("\t", ","),
        Refused(row=1, reason="comma-separated"),
    ),
    Case(
        "trade: a link to a file outside the raw folder",
        "trade",
        "generated_bad_link_outside.csv",
        symlink_outside,
        Refused(row=1, reason="header not recognised"),
    ),
    # ----- Excel workbooks of Kazakhstan's BNS and the IMF (raw/trade): refused with sheet, row and column
    Case(
        "trade: a BNS table whose header moved (exports and imports swapped)",
        "trade",
        "generated_bad_bns_header_moved.xlsx",
        bns_changed("Товарооборот", 3, "Импорт"),
        Refused(row=bns_line("Товарооборот"), column="D", reason="header moved"),
    ),
    Case(
        "trade: an unknown Russian partner label",
        "trade",
        "generated_bad_bns_unknown_label.xlsx",
        bns_changed("Армения", 0, "Армения и Арцах"),
        Refused(row=bns_line("Армения"), column="A", reason="unknown partner label"),
    ),
    Case(
        "trade: a partner listed twice in one BNS sheet",
        "trade",
        "generated_bad_bns_partner_twice.xlsx",
        bns_with_repeated("Россия"),
        Refused(row=len(bns_sheets()[0][1]) + 1, column="A", reason="RU listed twice"),
    ),
    Case(
        "trade: a BNS figure that is not a number",
        "trade",
        "generated_bad_bns_not_a_number.xlsx",
        bns_changed("Беларусь", 5, "764 824,4"),
        Refused(row=bns_line("Беларусь"), column="F", reason="not a number"),
    ),
    Case(
        "trade: a BNS table without its unit",
        "trade",
        "generated_bad_bns_missing_unit.xlsx",
        bns_changed("тыс. долларов США", 4, ""),
        Refused(row=bns_line("тыс. долларов США"), column="E", reason="missing unit"),
    ),
    Case(
        "trade: an unknown IMF partner name",
        "trade",
        "generated_bad_dots_unknown_partner.xlsx",
        dots_changed("Exports, FOB", dots_line("Exports, FOB", "Italy"), 1, "Italia"),
        Refused(row=dots_line("Exports, FOB", "Italy"), column="B", reason="unknown IMF partner name"),
    ),
    Case(
        "trade: an IMF partner listed twice with different figures",
        "trade",
        "generated_bad_dots_partner_twice.xlsx",
        dots_changed("Exports, FOB", dots_line("Exports, FOB", "Australia", -1), 30, "99.9"),
        Refused(row=dots_line("Exports, FOB", "Australia", -1), column="B", reason="AU listed twice"),
    ),
    Case(
        "trade: an IMF figure that is not a number ('0.14 e' is one)",
        "trade",
        "generated_bad_dots_not_a_number.xlsx",
        dots_changed("Imports, CIF", dots_line("Imports, CIF", "Italy"), 4, "n.a."),
        Refused(row=dots_line("Imports, CIF", "Italy"), column="E", reason="not a number"),
    ),
    Case(
        "trade: an IMF workbook without its unit",
        "trade",
        "generated_bad_dots_missing_unit.xlsx",
        dots_changed("Imports, CIF", 5, 1, ""),
        Refused(row=5, column="B", reason="missing unit"),
    ),
    Case(
        "trade: an Excel workbook of another shape",
        "trade",
        "generated_bad_other_workbook.xlsx",
        write_xlsx([("Sheet1", [["REPORTER", "PARTNER"], ["AT", "KZ"]])]),
        Refused(row=1, reason="not recognised"),
    ),
    Case(
        "real BNS workbook in energy/",
        "energy",
        BNS_2023.name,
        BNS_2023.read_bytes(),
        Refused(row=1, reason="belong in raw/trade/"),
    ),
    Case(
        "real IMF DOTS workbook in events/",
        "events",
        DOTS_KAZAKHSTAN.name,
        DOTS_KAZAKHSTAN.read_bytes(),
        Refused(row=1, reason="belong in raw/trade/"),
    ),
    # ----- partial CN8 selections in raw/trade: a Comext bulk-data extract, flattened data-browser exports
    Case(
        "trade: CN8 extract without VALUE_IN_EUROS",
        "trade",
        "generated_bad_extract_missing_value.csv",
        extract([r.rsplit(",", 1)[0] for r in EXTRACT_ROWS], header=EXTRACT_HEADER.rsplit(",", 1)[0]),
        Refused(row=1, column="VALUE_IN_EUROS", reason="missing column"),
    ),
    Case(
        "trade: CN8 extract with text in a value",
        "trade",
        "generated_bad_extract_text_value.csv",
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1].replace(",31392960", ",31.392.960")]),
        Refused(row=3, column="VALUE_IN_EUROS", reason="not a number: '31.392.960'"),
    ),
    Case(
        "trade: CN8 extract with a repeated key",
        "trade",
        "generated_bad_extract_duplicate.csv",
        extract([EXTRACT_ROWS[1], EXTRACT_ROWS[0], EXTRACT_ROWS[1]]),
        Refused(row=4, column="reporter_code", reason="duplicated key"),
    ),
    Case(
        "trade: CN8 extract with a seven-digit code",
        "trade",
        "generated_bad_extract_cn7.csv",
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1].replace(",26139000,", ",2613900,")]),
        Refused(row=3, column="PRODUCT_NC", reason="unknown CN8 product code: '2613900'"),
    ),
    Case(
        "trade: CN8 extract with an unknown partner code",
        "trade",
        "generated_bad_extract_partner.csv",
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1].replace(",KZ,", ",KZA,")]),
        Refused(row=3, column="PARTNER_ISO", reason="unknown partner code: 'KZA'"),
    ),
    Case(
        "trade: data-browser export without a unit",
        "trade",
        "generated_bad_browser_no_unit.csv",
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1].replace(",VALUE_IN_EUROS,", ",,")]),
        Refused(row=3, column="indicator", reason="not VALUE_IN_EUROS"),
    ),
    Case(
        "trade: data-browser product without its [code]",
        "trade",
        "generated_bad_browser_no_code.csv",
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1].replace(" [2106]", "")]),
        Refused(row=3, column="product", reason="unknown product"),
    ),
    Case(
        "trade: data-browser export with text in a value",
        "trade",
        "generated_bad_browser_text_value.csv",
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1].replace(",6725", ",6725 p")]),
        Refused(row=3, column="value_eur", reason="not a number: '6725 p'"),
    ),
    Case(
        "trade: data-browser export with an unknown reporter label",
        "trade",
        "generated_bad_browser_reporter.csv",
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1].replace(",Greece,", ",Atlantis,")]),
        Refused(row=3, column="reporter", reason="unknown reporter label: 'Atlantis'"),
    ),
    Case(
        "trade: data-browser export with a repeated cell",
        "trade",
        "generated_bad_browser_duplicate.csv",
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1], BROWSER_ROWS[0]]),
        Refused(row=4, column="reporter_code", reason="duplicated key"),
    ),
    Case(
        "real CN8 extract in energy/",
        "energy",
        REAL_CRM_EXTRACT,
        real("trade", REAL_CRM_EXTRACT),
        Refused(row=1, reason="it belongs in raw/trade/"),
    ),
    Case(
        "real data-browser export in events/",
        "events",
        REAL_BROWSER_EXPORT,
        real("trade", REAL_BROWSER_EXPORT),
        Refused(row=1, reason="not recognised as the diplomatic-event catalogue"),
    ),
    # ----- tolerated: header-based readers read by name and ignore extra named columns
    Case(
        "trade: an extra named column (read by name: ignored)",
        "trade",
        "generated_extra_named_column.csv",
        relational([r + ",note" for r in RELATIONAL_ROWS[:2]]).replace("VALUE_IN_EUR\n", "VALUE_IN_EUR,NOTE\n", 1),
        Lands(rows=2),
    ),
    Case(
        "energy: an extra named column in SDMX-CSV (ignored)",
        "energy",
        "generated_extra_named_column.sdmx.csv",
        sdmx_oil([r + ",x" for r in SDMX_OIL_ROWS], header=SDMX_OIL_HEADER + ",NOTE"),
        Lands(rows=4),
    ),
    Case(
        "events: an extra named column in the catalogue (ignored)",
        "events",
        "generated_extra_named_column.csv",
        catalogue(*[[*r, "x"] for r in catalogue_rows()[1:]], header=[*catalogue_rows()[0], "reviewer"]),
        Lands(rows=2),
    ),
    # ----- UN Comtrade extracts (raw/trade -> raw.comtrade_flows) and the ICEWS sample (raw/events ->
    # raw.icews_events): refused by their readers before anything is routed
    Case(
        "trade: Comtrade extract without Quantity Unit",
        "trade",
        "generated_bad_comtrade_missing_unit_column.csv",
        comtrade([r.replace(",kg,", ",") for r in COMTRADE_ROWS], header=COMTRADE_HEADER.replace(",Quantity Unit", "")),
        Refused(row=1, column="Quantity Unit", reason="missing column"),
    ),
    Case(
        "trade: Comtrade quantity not a number",
        "trade",
        "generated_bad_comtrade_quantity.csv",
        comtrade([COMTRADE_ROWS[0], COMTRADE_ROWS[1].replace(",423997000,", ",424 kt,")]),
        Refused(row=3, column="Quantity", reason="not a number"),
    ),
    Case(
        "trade: Comtrade quantity without its unit",
        "trade",
        "generated_bad_comtrade_no_unit.csv",
        comtrade([COMTRADE_ROWS[0].replace(",kg,", ",,")]),
        Refused(row=2, column="Quantity Unit", reason="without its unit"),
    ),
    Case(
        "trade: Comtrade partner nobody knows",
        "trade",
        "generated_bad_comtrade_partner.csv",
        comtrade([COMTRADE_ROWS[0].replace(",Russian Federation,", ",Ruritania,")]),
        Refused(row=2, column="Partner2", reason="unknown second partner"),
    ),
    Case(
        "trade: Comtrade year that is not a year",
        "trade",
        "generated_bad_comtrade_year.csv",
        comtrade([COMTRADE_ROWS[0], COMTRADE_ROWS[1].replace("2024,", "24,", 1)]),
        Refused(row=3, column="Year", reason="not a year"),
    ),
    Case(
        "events: ICEWS rows without origin_repo_file",
        "events",
        "generated_bad_icews_missing_origin.tsv",
        icews([r.rsplit("\t", 1)[0] for r in ICEWS_ROWS], header=ICEWS_HEADER.replace("\torigin_repo_file", "")),
        Refused(row=1, column="origin_repo_file", reason="missing column"),
    ),
    Case(
        "events: ICEWS day that is not a date",
        "events",
        "generated_bad_icews_date.tsv",
        icews([ICEWS_ROWS[0], ICEWS_ROWS[1].replace("2014-12-04", "2014-13-04")]),
        Refused(row=3, column="event_date", reason="YYYY-MM-DD"),
    ),
    Case(
        "events: ICEWS actor no seed places",
        "events",
        "generated_bad_icews_actor.tsv",
        icews([ICEWS_ROWS[0].replace("François Hollande", "Unknown Envoy")]),
        Refused(row=2, column="source_actor", reason="not placed on a side"),
    ),
    Case(
        "events: ICEWS split of unknown coverage",
        "events",
        "generated_bad_icews_split.tsv",
        icews([ICEWS_ROWS[2].replace(", valid)", ", train)")]),
        Refused(row=2, column="origin_repo_file", reason="icews_sample_coverage"),
    ),
    Case(
        "real Comtrade extract in events/",
        "events",
        REAL_COMTRADE,
        real("trade", REAL_COMTRADE),
        Refused(row=1, reason="not recognised as the diplomatic-event catalogue"),
    ),
    Case(
        "real ICEWS sample in trade/",
        "trade",
        REAL_ICEWS,
        real("events", REAL_ICEWS),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "real ICEWS sample in energy/",
        "energy",
        REAL_ICEWS,
        real("events", REAL_ICEWS),
        Refused(row=1, reason="header not recognised"),
    ),
    # ----- finance: the wiiw FDI export (real lines of raw/finance, one cell spoilt)
    Case(
        "finance: a missing unit (the Netherlands' Unit cell empty)",
        "finance",
        "generated_bad_missing_unit.csv",
        fdi(WORLD_STOCK, WORLD_SHARE, with_cell(NL_STOCK, "Unit", ""), NL_SHARE),
        Refused(row=4, column="Unit", reason="missing unit"),
    ),
    Case(
        "finance: a share row without its EUR m row",
        "finance",
        "generated_bad_share_without_amount.csv",
        fdi(WORLD_STOCK, WORLD_SHARE, NL_SHARE),
        Refused(row=4, column="Unit", reason="missing unit"),
    ),
    Case(
        "finance: a value that is not a number",
        "finance",
        "generated_bad_not_a_number.csv",
        fdi(NL_STOCK, with_cell(NL_SHARE, "_2015", fdi_cell(NL_SHARE, "_2015") + " e")),
        Refused(row=3, column="_2015", reason="not a number"),
    ),
    Case(
        "finance: a partner listed twice",
        "finance",
        "generated_bad_duplicate.csv",
        fdi(NL_STOCK, NL_SHARE, NL_STOCK),
        Refused(row=4, column="Partner-Code", reason="listed twice"),
    ),
    Case(
        "finance: an unknown partner code",
        "finance",
        "generated_bad_unknown_partner.csv",
        fdi(NL_STOCK, with_cell(with_cell(NL_SHARE, "Partner-Code", "XN"), "Partner", "Narnia")),
        Refused(row=3, column="Partner-Code", reason="unknown partner code"),
    ),
    Case(
        "finance: the header moved (a title line above it)",
        "finance",
        "generated_bad_title_line.csv",
        '"wiiw FDI Database"\n' + fdi(NL_STOCK, NL_SHARE),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "finance: a year 2099",
        "finance",
        "generated_bad_future.csv",
        fdi(NL_STOCK, NL_SHARE, header=partner_header().replace("_2021", f"_{TODAY_PLUS}")),
        SuiteFails({"fdi_by_partner": {(BETWEEN, "year")}}, line=2),
    ),
    Case(
        "finance: a stock in euros, not EUR million",
        "finance",
        "generated_bad_euros.csv",
        fdi(with_cell(WORLD_STOCK, "_2021", fdi_cell(WORLD_STOCK, "_2021") + "E6"), WORLD_SHARE),
        SuiteFails({"fdi_by_partner": {(BETWEEN, "value_eur_million")}}, line=2),
    ),
    Case("finance: empty file", "finance", "generated_bad_empty.csv", b"", Refused(row=1, reason="empty")),
    Case(
        "finance: header only",
        "finance",
        "generated_bad_header_only.csv",
        partner_header() + "\n",
        Refused(row=2, reason="no data rows"),
    ),
    # (this noise has a bare carriage return in its first line: core/files.header_columns names it)
    Case(
        "finance: binary garbage",
        "finance",
        "generated_bad_garbage.csv",
        garbage(5),
        Refused(row=1, reason="cannot be read as CSV"),
    ),
    Case(
        "real trade file in finance/",
        "finance",
        REAL_TRADE,
        real("trade", REAL_TRADE),
        Refused(row=1, reason="it belongs in raw/trade/"),
    ),
    Case(
        "real register in finance/",
        "finance",
        REAL_REGISTER,
        real("energy", REAL_REGISTER),
        Refused(row=1, reason="it belongs in raw/energy/"),
    ),
    Case(
        "real catalogue in finance/",
        "finance",
        REAL_CATALOGUE,
        real("events", REAL_CATALOGUE),
        Refused(row=1, reason="it belongs in raw/events/"),
    ),
    Case(
        "real FDI export in energy/",
        "energy",
        PARTNER_FILE,
        real("finance", PARTNER_FILE),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "real FDI export in trade/",
        "trade",
        PARTNER_FILE,
        real("finance", PARTNER_FILE),
        Refused(row=1, reason="header not recognised"),
    ),
    Case(
        "finance: an extra named column (read by name: ignored)",
        "finance",
        "generated_extra_named_column.csv",
        fdi(NL_STOCK + ',"x"', NL_SHARE + ',"x"', header=partner_header() + ',"Remarks"'),
        Lands(rows=19),
    ),
]


def _case_of(entry) -> Case:
    return entry.values[0] if hasattr(entry, "values") else entry


def _ids():
    return [_case_of(c).id for c in CASES]


# --- the run -------------------------------------------------------------------------------------


def land(con, raw: Path, domain: str):
    spec = DOMAINS[domain]
    return land_folder(con, raw, domain, spec.raw_table, spec.reader, spec.other_tables)


def raw_rows(con, domain: str) -> dict[str, list]:
    """Every row of the domain's raw table(s), lineage included, in a stable order."""
    spec = DOMAINS[domain]
    return {
        t.name: con.execute(f"SELECT * FROM raw.{t.name} ORDER BY ALL").fetchall()
        for main in (spec.raw_table, *spec.other_tables)
        for t in (main, *main.companions)
    }


def load_log(con) -> list[tuple]:
    return con.execute("SELECT file, status, message FROM audit.load_log ORDER BY loaded_at, file").fetchall()


def write_content(path: Path, content: Content) -> None:
    if callable(content):
        content(path)
    else:
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def _peak_rss_mib() -> int | None:
    try:
        with open("/proc/self/status") as handle:
            return next(int(line.split()[1]) // 1024 for line in handle if line.startswith("VmHWM"))
    except (OSError, StopIteration):
        return None


def _reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0), so the peak of one call can be read."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


@pytest.fixture
def landed_good(tmp_path, request):
    """(connection, raw folder, domain): the domain's good real file landed, nothing else."""
    case = _case_of(request.param)
    raw = tmp_path / "raw"
    folder = raw / case.domain
    folder.mkdir(parents=True)
    good = DOMAINS[case.domain].good_file
    shutil.copy2(SNAPSHOT / case.domain / good, folder / good)
    con = duckdb.connect()
    loads = land(con, raw, case.domain)
    assert [(load.file, load.status) for load in loads] == [(f"{case.domain}/{good}", "loaded")]
    assert loads[0].rows_kept > 0
    yield con, raw, case
    con.close()


@pytest.mark.parametrize("landed_good", CASES, ids=_ids(), indirect=True)
def test_bad_input(landed_good):
    con, raw, case = landed_good
    domain, name = case.domain, case.name
    good_name = f"{domain}/{DOMAINS[domain].good_file}"
    before, log_before = raw_rows(con, domain), load_log(con)
    bad = raw / domain / name
    write_content(bad, case.content)
    try:
        expect = case.expect
        if isinstance(expect, Refused):
            _assert_refused(con, raw, case, expect, before, log_before)
        elif isinstance(expect, SuiteFails):
            _assert_suite_fails(con, raw, case, expect, good_name)
        else:
            _assert_lands(con, raw, case, expect, before)
    finally:
        bad.unlink(missing_ok=True)  # the 50 MiB files do not stay in pytest's kept temp folders


def _assert_refused(con, raw, case: Case, expect: Refused, before, log_before) -> None:
    domain, name = case.domain, case.name
    measured = expect.bounded and _reset_peak_rss()
    started = time.perf_counter()
    with pytest.raises(RawFileError) as caught:
        land(con, raw, domain)
    elapsed = time.perf_counter() - started
    error = caught.value
    # the message names the file (and row and column where they mean something)
    assert error.file.endswith(name) and name in str(error), str(error)
    if expect.row is not None:
        assert error.row == expect.row, str(error)
    if expect.column is not None:
        assert error.column == expect.column, str(error)
    if expect.reason is not None:
        assert expect.reason in str(error), str(error)
    # nothing half-landed: the good rows exactly as they were, nothing of the bad file
    assert raw_rows(con, domain) == before
    for table in before:
        assert con.execute(
            f"SELECT count(*) FROM raw.{table} WHERE _source_file = ?", [f"{domain}/{name}"]
        ).fetchall() == [(0,)]
    # one 'rejected' audit row for the bad file, its message naming the file
    log = load_log(con)
    assert log[: len(log_before)] == log_before
    assert [(file, status) for file, status, _ in log[len(log_before) :]] == [(f"{domain}/{name}", "rejected")]
    assert name in log[-1][2]
    if expect.bounded:  # an enormous line: refused fast, in bounded memory
        assert elapsed < 30, f"{elapsed:.1f} s to refuse a 50 MiB line"
        peak = _peak_rss_mib()
        if measured and peak is not None:
            assert peak < 1024, f"peak RSS {peak} MiB while refusing a 50 MiB line"


def _assert_suite_fails(con, raw, case: Case, expect: SuiteFails, good_name: str) -> None:
    domain, name = case.domain, case.name
    loads = land(con, raw, domain)  # the reader accepts the values: the suite is the guard
    assert (f"{domain}/{name}", "loaded") in [(load.file, load.status) for load in loads]
    today = datetime.now()
    spec = DOMAINS[domain]
    # the suites of the tables the good file lands in (the folder's main table and its companions)
    for table in (spec.raw_table.name, *(c.name for c in spec.raw_table.companions)):
        suite = spec.suites[table]

        def outcome(file, table=table, suite=suite):
            frame = con.execute(f"SELECT * FROM raw.{table} WHERE _source_file = ?", [file]).df()
            return run_suite(f"raw_{table}_suite", frame, suite.expectations(today), list(suite.row_locator))

        assert outcome(good_name).success, f"the suite fails on the good file {good_name}"
        result = outcome(f"{domain}/{name}")
        failed = {(f.expectation, f.column) for f in result.failed}
        assert failed == expect.failures[table], [(f.expectation, f.column, f.samples) for f in result.failed]
        assert result.success == (not failed)
        if failed and expect.line is not None and "source_line" in suite.row_locator and table != "gdelt_actor_totals":
            lines = {s.get("source_line") for f in result.failed for s in f.samples if isinstance(s, dict)}
            assert expect.line in lines, result.failed


def _assert_lands(con, raw, case: Case, expect: Lands, before) -> None:
    domain, file = case.domain, f"{case.domain}/{case.name}"
    loads = {load.file: load for load in land(con, raw, domain)}
    assert loads[file].status == "loaded"
    main = DOMAINS[domain].raw_table.name
    held = con.execute(f"SELECT count(*) FROM raw.{main} WHERE _source_file = ?", [file]).fetchall()[0][0]
    assert held == (loads[file].rows_kept if expect.rows is None else expect.rows) and held > 0
    # the good file's rows are untouched, and every table still exists (no SQL ran from the name)
    for table, rows in before.items():
        assert con.execute(f"SELECT * FROM raw.{table} WHERE _source_file <> ? ORDER BY ALL", [file]).fetchall() == rows
    assert con.execute("SELECT count(*) FROM audit.load_log WHERE status = 'rejected'").fetchall() == [(0,)]
    assert con.execute("SELECT file FROM audit.load_log WHERE status = 'loaded' AND file = ?", [file]).fetchall() == [
        (file,)
    ]


def test_the_corpus_covers_every_domain_and_kind():
    cases = [_case_of(c) for c in CASES]
    bad = [c for c in cases if not isinstance(c.expect, Lands) or "generated_bad" in c.name]
    assert len(bad) >= 30
    assert {c.domain for c in cases} == set(DOMAINS)
    for domain in DOMAINS:
        kinds = {type(c.expect) for c in cases if c.domain == domain}
        assert Refused in kinds and SuiteFails in kinds, domain
    misplaced = [c for c in cases if c.id.startswith("real ")]  # a real file of another domain's folder
    assert len(misplaced) >= 3 and not any((SNAPSHOT / c.domain / c.name).exists() for c in misplaced)
    real_names = {p.name for p in SNAPSHOT.glob("*/*")} | {"20160728.export.CSV"}  # + fixtures_gdelt's real rows
    for c in cases:  # generated content says so in its name; real files keep theirs
        assert c.name.startswith("generated_") or c.name in real_names, c.name
