"""Recognise a raw file by its content: compression and header, never its name."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from pipelines.core.errors import RawFileError

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"


def compression_of(path: Path) -> str:
    """'gzip' or 'none', as DuckDB's readers name them; archives DuckDB cannot read are refused."""
    with open(path, "rb") as handle:
        magic = handle.read(6)
    if magic.startswith(GZIP_MAGIC):
        return "gzip"
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
    try:
        return [name.strip() for name in next(csv.reader(io.StringIO(line), delimiter=delimiter))]
    except csv.Error as exc:  # binary content: a bare carriage return inside the first line
        raise RawFileError(path, f"the header line cannot be read as CSV ({exc})", row=1) from exc
