"""What was downloaded into a raw folder, per URL: the validators for conditional requests.

A small JSON file beside the downloads (raw/<domain>/.downloads.json; the loader ignores hidden
files) maps each URL to the file it produced, that file's sha256, size and mtime, and the
ETag / Last-Modified the server sent. Writes are atomic and serialised with a lock file, so two
partitions refreshing the same folder at once do not lose each other's entries.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from pipelines.core.landing import sha256_of

STATE_FILE = ".downloads.json"
LOCK_FILE = ".downloads.lock"


@dataclass(frozen=True)
class StateEntry:
    file: str  # the file name in the folder
    sha256: str
    size: int
    mtime_ns: int
    etag: str | None = None
    last_modified: str | None = None


def read_state(folder: Path) -> dict[str, StateEntry]:
    path = folder / STATE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # a damaged state only costs unconditional requests: the next write repairs it
    if not isinstance(raw, dict):
        return {}
    fields, required = set(StateEntry.__dataclass_fields__), {"file", "sha256", "size", "mtime_ns"}
    return {
        url: StateEntry(**{k: v for k, v in entry.items() if k in fields})
        for url, entry in raw.items()
        if isinstance(entry, dict) and required <= set(entry)
    }


def record(folder: Path, url: str, entry: StateEntry) -> None:
    """Add or replace the entry of one URL (read, merge and write under the folder's lock)."""
    with _locked(folder):
        entries = read_state(folder)
        entries[url] = entry
        _write_atomically(folder / STATE_FILE, {u: asdict(e) for u, e in sorted(entries.items())})


def current_sha256(target: Path, entry: StateEntry | None) -> str | None:
    """The sha256 of the file on disk: from the state while size and mtime are the recorded ones."""
    try:
        stat = target.stat()
    except FileNotFoundError:
        return None
    if entry and entry.file == target.name and (entry.size, entry.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
        return entry.sha256
    return sha256_of(target)


def conditional_headers(entry: StateEntry | None, sha256_on_disk: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since, only while the file they describe is still there, unchanged."""
    if entry is None or sha256_on_disk is None or entry.sha256 != sha256_on_disk:
        return {}
    headers = {}
    if entry.etag:
        headers["If-None-Match"] = entry.etag
    if entry.last_modified:
        headers["If-Modified-Since"] = entry.last_modified
    return headers


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    with open(folder / LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_atomically(path: Path, data: dict) -> None:
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
