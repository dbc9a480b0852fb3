"""Recognise a raw file by its content: compression and header, never its name."""

from __future__ import annotations

import codecs
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


def is_utf8(path: Path, chunk: int = 1024 * 1024) -> bool:
    """Whether the (decompressed) file decodes as UTF-8, read in chunks: some publishers still write
    Latin-1 (a UN Comtrade extract's 'Côte d'Ivoire'), and a reader must know before DuckDB reads it."""
    opener = gzip.open if compression_of(path) == "gzip" else open
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with opener(path, "rb") as handle:
            while block := handle.read(chunk):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except (OSError, EOFError) as exc:  # corrupt gzip
        raise RawFileError(path, f"cannot be read: {exc}", row=None) from exc
    return True


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
