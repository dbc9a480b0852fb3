"""Recognise a raw file by its content (compression, header), never its name, and open archives safely.

One home for the byte-level steps every reader and connector shares: magic numbers, decompressed
reading, the first line, and the single-member zip check and size-limited extraction (a zip bomb or
a member with a path is refused: nothing is written where a name points).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import os
import select
import shutil
import tempfile
import threading
import zipfile
import zlib
from pathlib import Path

from pipelines.core.errors import RawFileError

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a member, or an empty archive
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of a BIFF .xls workbook


def excel_kind(path: Path) -> str | None:
    """'xls' or 'xlsx' from the file's bytes, or None for anything else (a CSV, a plain zip archive)."""
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic == OLE2_MAGIC:
        return "xls"
    if magic.startswith(ZIP_MAGICS):
        try:
            with zipfile.ZipFile(path) as archive:
                return "xlsx" if "xl/workbook.xml" in archive.namelist() else None
        except zipfile.BadZipFile:
            return None
    return None


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
    if excel_kind(path):
        raise RawFileError(
            path,
            "an Excel workbook, not a text file: the workbooks the warehouse reads "
            "(BNS foreign-trade tables, IMF DOTS) belong in raw/trade/",
            row=1,
        )
    if magic.startswith(SEVEN_ZIP_MAGIC) or magic.startswith(ZIP_MAGICS):
        raise RawFileError(
            path, "a 7z or zip archive: extract the .dat/.csv file inside it into the raw folder", row=None
        )
    return "none"


def open_decompressed(path: Path):
    """The file's bytes, decompressed when gzip'd."""
    return (gzip.open if is_gzip(path) else open)(path, "rb")


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


def _decoded_first_line(path: Path, raw: bytes) -> str:
    if not raw.strip():
        raise RawFileError(path, "the file is empty: no header line", row=1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.rstrip("\r\n")


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
    return _decoded_first_line(path, raw)


def header_columns(path: Path) -> list[str]:
    """Column names of the header, as written (quotes removed, whitespace stripped)."""
    line = first_line(path)
    delimiter = "\t" if line.count("\t") > line.count(",") else ","
    try:
        return [name.strip() for name in next(csv.reader(io.StringIO(line), delimiter=delimiter))]
    except csv.Error as exc:  # binary content: a bare carriage return inside the first line
        raise RawFileError(path, f"the header line cannot be read as CSV ({exc})", row=1) from exc


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


ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


def _single_member(archive: zipfile.ZipFile, path: Path, limit: int) -> zipfile.ZipInfo:
    members = archive.infolist()
    problem = single_member_problem(members)
    if problem:
        raise RawFileError(path, problem)
    if members[0].file_size > limit:
        raise RawFileError(path, f"the zip member is {members[0].file_size} bytes unzipped, above the {limit} limit")
    return members[0]


def _unreadable_zip(path: Path, exc: Exception) -> RawFileError:
    # truncated (no central directory), corrupt (bad CRC or deflate stream), encrypted or unsupported
    return RawFileError(path, f"not a readable zip archive: {exc}")


def extract_single_zip_member(path: Path, limit: int) -> Path:
    """The one file of a zip archive, copied to a temporary file the caller deletes."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = _single_member(archive, path, limit)
            handle, name = tempfile.mkstemp(prefix="kzeu-unzipped-", suffix=".tsv")
            try:
                with archive.open(member) as source, os.fdopen(handle, "wb") as target:
                    shutil.copyfileobj(_SizeLimited(source, limit, path), target, 1 << 20)
            except BaseException:
                os.unlink(name)
                raise
            return Path(name)
    except ZIP_ERRORS as exc:
        raise _unreadable_zip(path, exc) from exc


class ZipMemberStream:
    """The one member of a zip archive, decompressed by a thread into a pipe that DuckDB reads as a
    file (`name`, /dev/fd/N): decompression overlaps the scan on the other core, nothing is written
    to disk. The lines are counted on the way (`lines`, `last`: a blank-line check needs them).

    Use as a context manager around the scan; `finish()` after it stops the thread and raises the
    archive's own error (a corrupt member is why the scan saw truncated or garbled text).
    """

    CHUNK = 1 << 20

    def __init__(self, path: Path, limit: int):
        self.path, self.limit = Path(path), limit
        self.lines, self.last, self.error = 0, b"\n", None
        try:
            with zipfile.ZipFile(self.path) as archive:
                self.member = _single_member(archive, self.path, limit)
        except ZIP_ERRORS as exc:
            raise _unreadable_zip(self.path, exc) from exc
        self._stop = threading.Event()
        self._thread = None
        self._fds: tuple[int, int] | None = None

    @contextlib.contextmanager
    def open(self):
        """A fresh binary reader of the member (error paths: a line's fields, blank lines)."""
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as source:
                yield source
        except ZIP_ERRORS as exc:
            raise _unreadable_zip(self.path, exc) from exc

    def first_line(self, limit: int = 64 * 1024) -> str:
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as source:
                raw = source.readline(limit)
        except ZIP_ERRORS as exc:
            raise _unreadable_zip(self.path, exc) from exc
        return _decoded_first_line(self.path, raw)

    def __enter__(self) -> ZipMemberStream:
        read_fd, write_fd = os.pipe()
        try:
            import fcntl

            fcntl.fcntl(write_fd, 1031, 1 << 20)  # F_SETPIPE_SZ: a 1 MiB pipe, fewer wake-ups
        except (ImportError, OSError):
            pass
        os.set_blocking(write_fd, False)  # so that the thread can notice a stop while the pipe is full
        self._fds = (read_fd, write_fd)
        self.name = f"/dev/fd/{read_fd}"
        self._thread = threading.Thread(target=self._pump, name="zip-member-pump", daemon=True)
        self._thread.start()
        return self

    def _pump(self) -> None:
        write_fd = self._fds[1]
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as source:
                limited = _SizeLimited(source, self.limit, self.path)
                while chunk := limited.read(self.CHUNK):
                    self.lines += chunk.count(b"\n")
                    self.last = chunk[-1:]
                    view = memoryview(chunk)
                    while view:
                        try:
                            view = view[os.write(write_fd, view) :]
                        except BlockingIOError:
                            if self._stop.is_set():
                                return
                            select.select([], [write_fd], [], 0.1)
        except (BrokenPipeError, ValueError):
            pass  # the scan stopped reading (it failed): its error is reported
        except RawFileError as exc:
            self.error = exc
        except ZIP_ERRORS as exc:
            self.error = _unreadable_zip(self.path, exc)
        finally:
            os.close(write_fd)

    def finish(self) -> None:
        """Stop the thread (the scan is over, read or failed) and raise the archive's error, if any."""
        if self._fds is not None:
            self._stop.set()
            self._thread.join()
            os.close(self._fds[0])
            self._fds = None
        if self.error is not None:
            raise self.error

    def __exit__(self, *exc_info) -> None:
        if self._fds is not None:
            self._stop.set()
            self._thread.join()
            os.close(self._fds[0])
            self._fds = None
