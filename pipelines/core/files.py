"""Recognise a raw file by its content: compression and header, never its name."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

from pipelines.core.errors import RawFileError

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of a BIFF .xls workbook


def excel_kind(path: Path) -> str | None:
    """'xls' or 'xlsx' from the file's bytes, or None for anything else (a CSV, a plain zip archive)."""
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic == OLE2_MAGIC:
        return "xls"
    if magic.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                return "xlsx" if "xl/workbook.xml" in archive.namelist() else None
        except zipfile.BadZipFile:
            return None
    return None


def compression_of(path: Path) -> str:
    """'gzip' or 'none', as DuckDB's readers name them; archives DuckDB cannot read are refused."""
    with open(path, "rb") as handle:
        magic = handle.read(6)
    if magic.startswith(GZIP_MAGIC):
        return "gzip"
    if excel_kind(path):
        raise RawFileError(path, "an Excel workbook, not a text file: the workbooks the warehouse reads "
                                 "(BNS foreign-trade tables, IMF DOTS) belong in raw/trade/", row=1)
    if magic.startswith(SEVEN_ZIP_MAGIC) or magic.startswith(ZIP_MAGIC):
        raise RawFileError(path, "a 7z or zip archive: extract the .dat/.csv file inside it into the raw folder", row=None)
    return "none"


def first_line(path: Path, limit: int = 64 * 1024) -> str:
    """The header line, decoded (UTF-8 with or without BOM, falling back to Latin-1)."""
    opener = gzip.open if compression_of(path) == "gzip" else open
    try:
        with opener(path, "rb") as handle:
            raw = handle.readline(limit)
    except (OSError, EOFError) as exc:  # corrupt gzip
        raise RawFileError(path, f"cannot be read: {exc}", row=1) from exc
    if not raw.strip():
        raise RawFileError(path, "the file is empty: no header line", row=1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.rstrip("\r\n")


def header_columns(path: Path) -> list[str]:
    """Column names of the header, as written (quotes removed, whitespace stripped)."""
    line = first_line(path)
    delimiter = "\t" if line.count("\t") > line.count(",") else ","
    return [name.strip() for name in next(csv.reader(io.StringIO(line), delimiter=delimiter))]
