"""Recognise a raw file by its content (compression, header), never its name, and open archives safely.

One home for the byte-level steps every reader and connector shares: magic numbers, decompressed
reading, the first line, and the single-member zip check and size-limited extraction (a zip bomb or
a member with a path is refused: nothing is written where a name points).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path

from pipelines.core.errors import RawFileError

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a member, or an empty archive
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"


def _magic(path: Path, size: int = 6) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def is_gzip(path: Path) -> bool:
    return _magic(path).startswith(GZIP_MAGIC)


def is_zip(path: Path) -> bool:
    return _magic(path).startswith(ZIP_MAGICS)


def compression_of(path: Path) -> str:
    """'gzip' or 'none', as DuckDB's readers name them; archives DuckDB cannot read are refused."""
    magic = _magic(path)
    if magic.startswith(GZIP_MAGIC):
        return "gzip"
    if magic.startswith(SEVEN_ZIP_MAGIC) or magic.startswith(ZIP_MAGICS):
        raise RawFileError(
            path, "a 7z or zip archive: extract the .dat/.csv file inside it into the raw folder", row=None
        )
    return "none"


def open_decompressed(path: Path):
    """The file's bytes, decompressed when gzip'd."""
    return (gzip.open if is_gzip(path) else open)(path, "rb")


def first_line(path: Path, limit: int = 64 * 1024) -> str:
    """The first line, decoded (UTF-8 with or without BOM, falling back to Latin-1); an empty file or
    a corrupt gzip is refused naming line 1, a zip or 7z archive with advice."""
    opener = gzip.open if compression_of(path) == "gzip" else open  # archives are refused here
    try:
        with opener(path, "rb") as handle:
            raw = handle.readline(limit)
    except (OSError, EOFError, zlib.error) as exc:  # corrupt gzip
        how = " as gzip" if is_gzip(path) else ""
        raise RawFileError(path, f"cannot be read{how}: {exc}", row=1) from exc
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


def is_bare_name(name: str) -> bool:
    """A plain file name: no directory part, no traversal, nothing a filesystem would interpret."""
    return bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\0") and ":" not in name


def single_member_problem(members: list[zipfile.ZipInfo]) -> str | None:
    """Why a zip archive is not one export with a bare file name (publishers serve one per archive)."""
    if len(members) != 1:
        shown = ", ".join(m.filename for m in members[:5]) or "none"
        return f"a zip archive with {len(members)} members ({shown}); expected one export"
    if members[0].is_dir() or not is_bare_name(members[0].filename):
        return f"the zip member has a path ({members[0].filename!r}); expected a bare file name"
    return None


class _SizeLimited:
    """A file-like reader that refuses to give more than `limit` bytes (a zip bomb, a wrong declared size)."""

    def __init__(self, source, limit: int, path: Path):
        self.source, self.limit, self.left, self.path = source, limit, limit, path

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.left -= len(chunk)
        if self.left < 0:
            raise RawFileError(self.path, f"the zip member is larger than {self.limit} bytes unzipped")
        return chunk


def extract_single_zip_member(path: Path, limit: int) -> Path:
    """The one file of a zip archive, copied to a temporary file the caller deletes."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            problem = single_member_problem(members)
            if problem:
                raise RawFileError(path, problem)
            member = members[0]
            if member.file_size > limit:
                raise RawFileError(
                    path, f"the zip member is {member.file_size} bytes unzipped, above the {limit} limit"
                )
            handle, name = tempfile.mkstemp(prefix="kzeu-unzipped-", suffix=".tsv")
            try:
                with archive.open(member) as source, os.fdopen(handle, "wb") as target:
                    shutil.copyfileobj(_SizeLimited(source, limit, path), target, 1 << 20)
            except BaseException:
                os.unlink(name)
                raise
            return Path(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # truncated (no central directory), corrupt (bad CRC or deflate stream), encrypted or unsupported
        raise RawFileError(path, f"not a readable zip archive: {exc}") from exc
