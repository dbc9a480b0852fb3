"""Archives from the publishers, opened defensively before anything lands in the raw folder.

- Comext bulk `full_v2_YYYYMM.7z`: exactly one `.dat` member with a bare file name, extracted
  (size-limited while writing) into a deterministic gzip stream beside the archive.
- GDELT `.export.CSV.zip`: kept as served (the reader unzips it), but checked first: one member,
  a bare file name.
A member name with a path (`../x`, `/etc/x`, `dir/x`) is refused: nothing is ever written where a
name points, only into the temporary file the caller chose.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import zipfile
from pathlib import Path

import py7zr
import py7zr.exceptions
from py7zr.io import Py7zIO, WriterFactory

from pipelines.core.files import is_bare_name, single_member_problem


class ArchiveRefused(ValueError):
    """An archive the connectors will not land (the caller names the URL)."""


def check_single_member_zip(path: Path) -> None:
    """GDELT serves one export per zip; anything else (more members, a path) is refused."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveRefused(f"not a readable zip archive: {exc}") from exc
    problem = single_member_problem(members)
    if problem:
        raise ArchiveRefused(problem)


def extract_single_7z_member(archive_path: Path, *, suffix: str, max_bytes: int, gzip_output: bool = True) -> Path:
    """The one `suffix` member of a 7z archive, written to a hidden temporary file beside it.

    gzip'd deterministically (no name, mtime 0) when `gzip_output`, so that the same content always
    gives the same bytes and an unchanged month is recognised as unchanged.
    """
    with open(archive_path, "rb") as handle:  # a file object: py7zr then extracts in this thread
        try:
            with py7zr.SevenZipFile(handle) as archive:
                member = _single_member(archive, suffix, max_bytes)
                return _extract(archive, member, archive_path.parent, max_bytes, gzip_output)
        except (py7zr.exceptions.Bad7zFile, py7zr.exceptions.ArchiveError, EOFError, OSError) as exc:
            raise ArchiveRefused(f"not a readable 7z archive: {exc}") from exc


def _single_member(archive: py7zr.SevenZipFile, suffix: str, max_bytes: int):
    files = [info for info in archive.list() if not info.is_directory]
    if len(files) != 1:
        names = ", ".join(repr(info.filename) for info in files[:5]) or "none"
        raise ArchiveRefused(f"a 7z archive with {len(files)} files ({names}); expected one {suffix} file")
    member = files[0]
    if not is_bare_name(member.filename):
        raise ArchiveRefused(f"the 7z member has a path ({member.filename!r}); expected a bare file name")
    if not member.filename.lower().endswith(suffix.lower()):
        raise ArchiveRefused(f"the 7z member {member.filename!r} is not a {suffix} file")
    if member.uncompressed is not None and member.uncompressed > max_bytes:
        raise ArchiveRefused(f"the 7z member is {member.uncompressed} bytes unpacked, above the limit of {max_bytes}")
    return member


def _extract(archive, member, folder: Path, max_bytes: int, gzip_output: bool) -> Path:
    handle, name = tempfile.mkstemp(dir=folder, prefix=".kzeu-extract-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as raw:
            sink = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if gzip_output else raw
            writer = _LimitedWriter(sink, max_bytes)
            archive.extract(targets=[member.filename], factory=_OneWriter(writer))
            if writer.written != (member.uncompressed or 0):
                raise ArchiveRefused(f"the 7z member gave {writer.written} bytes, {member.uncompressed} declared")
            if sink is not raw:
                sink.close()
            raw.flush()
            os.fsync(raw.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


class _LimitedWriter(Py7zIO):
    """Where py7zr writes the member: counted, refused past the limit, passed on to the sink."""

    def __init__(self, sink, limit: int):
        self.sink, self.limit, self.written = sink, limit, 0

    def write(self, data: bytes | bytearray) -> int:
        self.written += len(data)
        if self.written > self.limit:
            raise ArchiveRefused(f"the 7z member unpacks to more than the limit of {self.limit} bytes")
        return self.sink.write(data)

    def read(self, size: int | None = None) -> bytes:
        raise OSError("write-only")

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.written  # py7zr rewinds after writing; a stream has nowhere to go

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        self.sink.flush()

    def size(self) -> int:
        return self.written


class _OneWriter(WriterFactory):
    def __init__(self, writer: _LimitedWriter):
        self.writer = writer

    def create(self, filename: str) -> Py7zIO:
        return self.writer
