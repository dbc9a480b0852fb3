"""Download one URL into one file of a raw folder: conditional, verified, atomic, idempotent.

The file on disk changes only when the publisher's content changed: a 304, or a body with the same
sha256 as the file already there, leaves it untouched (same mtime), so the loader sees it unchanged
and does not land it again. A new body is written to a hidden temporary file beside the target,
verified, fsync'ed and renamed over it; on any error nothing is left behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from pipelines.connectors.archives import ArchiveRefused
from pipelines.connectors.http import DownloadError, HttpClient, full_url, redact
from pipelines.connectors.state import StateEntry, conditional_headers, current_sha256, read_state, record
from pipelines.core.landing import sha256_of
from pipelines.settings import Settings

log = logging.getLogger(__name__)

# Turns the downloaded temporary file into the file to publish (e.g. a .7z into its .dat.gz).
# Returns a temporary file in the same folder; may return its input unchanged after checking it.
Transform = Callable[[Path], Path]


@dataclass(frozen=True)
class DownloadResult:
    file: Path
    status: str  # downloaded | unchanged
    bytes: int  # size of the file on disk
    url: str  # secrets masked


@dataclass(frozen=True)
class Expected:
    """What the publisher says the body is (GDELT lists size and MD5 of every file)."""

    size: int | None = None
    md5: str | None = None


@contextmanager
def open_client(settings: Settings, client: HttpClient | None = None) -> Iterator[HttpClient]:
    """The caller's client (tests pass one with tiny timeouts), or one from the settings, closed after."""
    if client is not None:
        yield client
        return
    with HttpClient.from_settings(settings) as own:
        yield own


def download_file(
    client: HttpClient,
    url: str,
    target: Path,
    *,
    params: Mapping[str, str] | None = None,
    expected: Expected | None = None,
    transform: Transform | None = None,
) -> DownloadResult:
    """Bring `target` in line with `url`; see the module docstring for the guarantees."""
    try:
        key = full_url(url, params)
    except requests.RequestException as exc:  # a malformed URL (requests' errors are OSErrors too)
        raise DownloadError(url, str(exc)) from exc
    try:
        return _download(client, url, key, target, params, expected, transform)
    except OSError as exc:  # the local side: a full disk, a read-only raw folder
        raise DownloadError(key, f"cannot write {target}: {exc}") from exc


def _download(client, url, key, target, params, expected, transform) -> DownloadResult:
    target.parent.mkdir(parents=True, exist_ok=True)
    if expected and _matches(target, expected):
        return _result(target, "unchanged", key)  # immutable and already here: no request at all
    entry = read_state(target.parent).get(redact(key))  # the state file holds no secret either
    on_disk = current_sha256(target, entry)
    fetched = client.fetch(
        url,
        target.parent,
        params=params,
        headers=conditional_headers(entry, on_disk),
        expected_size=expected.size if expected else None,
        expected_md5=expected.md5 if expected else None,
        label=target.name,
    )
    if fetched is None:  # 304 Not Modified
        if not target.is_file():
            raise DownloadError(key, "HTTP 304 Not Modified, but there is no file here to keep")
        return _result(target, "unchanged", key)
    output = _transformed(fetched.temp, transform, key)
    sha256 = fetched.sha256 if output == fetched.temp else sha256_of(output)
    if sha256 == on_disk:
        output.unlink()
        status = "unchanged"
    else:
        _publish(output, target)
        status = "downloaded"
    stat = target.stat()
    record(
        target.parent,
        redact(key),
        StateEntry(target.name, sha256, stat.st_size, stat.st_mtime_ns, fetched.etag, fetched.last_modified),
    )
    return _result(target, status, key)


def _result(target: Path, status: str, key: str) -> DownloadResult:
    result = DownloadResult(target, status, target.stat().st_size, redact(key))
    log.info("%s: %s (%s bytes) from %s", target.name, status, result.bytes, result.url)
    return result


def _matches(target: Path, expected: Expected) -> bool:
    if not target.is_file() or (expected.size is not None and target.stat().st_size != expected.size):
        return False
    return expected.md5 is None or _md5_of(target) == expected.md5.lower()


def _md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _transformed(temp: Path, transform: Transform | None, url: str) -> Path:
    if transform is None:
        return temp
    try:
        output = transform(temp)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, ArchiveRefused):
            raise DownloadError(url, str(exc)) from exc
        raise
    if output != temp:
        temp.unlink(missing_ok=True)
    return output


def _publish(temp: Path, target: Path) -> None:
    """Readable like any raw file, then an atomic rename; the directory entry is synced too."""
    os.chmod(temp, 0o644)
    try:
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
