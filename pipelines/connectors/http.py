"""The one HTTP client of the connectors: every byte from a publisher comes through `HttpClient`.

What it guarantees, so that the source modules do not have to:
- only hosts of the configured base URLs (`Settings.allowed_hosts`), redirects included: a redirect
  to another host, or from https down to http, is refused;
- connect and read timeouts; retries with exponential backoff on connection errors, read timeouts,
  429 and 5xx (never on other 4xx), honouring Retry-After (capped);
- TLS verification always on for https (there is no switch to turn it off);
- a maximum size per download: Content-Length checked up front, bytes counted while streaming;
- a body shorter than its Content-Length is an error (a truncated download never lands);
- one exception type, `DownloadError`, whose one-line message names the URL and the reason.

Secrets (e.g. a future UN Comtrade key in KZEU_COMTRADE_KEY) come from the environment through
`secret_from_env`, travel in request headers only, and appear in no message or log line.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from tqdm import tqdm
from urllib3.util import Retry

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, *range(500, 600)})
MAX_REDIRECTS = 5
CHUNK_BYTES = 1 << 20
PROGRESS_MIN_BYTES = 8 << 20  # a bar only where a download takes long enough to watch
USER_AGENT = "kzeu-warehouse/0.1 (open data connectors; python-requests)"
SECRET_QUERY_NAMES = re.compile(r"key|token|secret|password|signature|sig", re.IGNORECASE)
SECRET_IN_TEXT = re.compile(r"([\w-]*(?:key|token|secret|password|signature|sig)[\w-]*=)[^&\s\"']+", re.IGNORECASE)


class DownloadError(RuntimeError):
    """A download that failed or was refused. The message is one line: '<url>: <reason>'.

    `transient` is True where trying again later may succeed (a connection or timeout failure,
    a truncated body, 429 or 5xx after every retry), False for a refusal or a wrong answer
    (4xx, checksum mismatch, a host or an archive refused, a size limit).
    """

    def __init__(self, url: str, reason: str, *, transient: bool = False):
        self.url, self.reason, self.transient = redact(url), one_line(reason), transient
        super().__init__(f"{self.url}: {self.reason}")


def one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def redact(url: str) -> str:
    """The URL with the values of secret-looking query parameters masked (for messages and logs)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (k, "***" if SECRET_QUERY_NAMES.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe="/:+,*")))


class _RedactingFilter(logging.Filter):
    """urllib3 logs each request line at DEBUG: mask secret-looking query values in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = SECRET_IN_TEXT.sub(r"\1***", message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


_URLLIB3_LOG = logging.getLogger("urllib3.connectionpool")
if not any(isinstance(f, _RedactingFilter) for f in _URLLIB3_LOG.filters):
    _URLLIB3_LOG.addFilter(_RedactingFilter())


def secret_from_env(name: str) -> str | None:
    """A credential from the environment (never from code or settings files); None when unset."""
    value = os.environ.get(name, "").strip()
    return value or None


def full_url(url: str, params: Mapping[str, str] | None = None) -> str:
    """The URL as it is requested, query included: the key of the download state."""
    return requests.Request("GET", url, params=params).prepare().url


def host_of(url: str) -> str | None:
    host = urlsplit(url).hostname
    return host.lower() if host else None


def show_progress(requested: bool | None, is_tty: bool, declared_bytes: int | None) -> bool:
    """A progress bar only on a terminal, unless the caller said no, and only for long downloads."""
    if requested is False or not is_tty:
        return False
    return declared_bytes is None or declared_bytes >= PROGRESS_MIN_BYTES


@dataclass(frozen=True)
class Fetched:
    """A body streamed to a temporary file beside its target (the caller publishes or deletes it)."""

    temp: Path
    size: int
    sha256: str
    md5: str
    etag: str | None
    last_modified: str | None


def retry_message(url: str, reason: str, attempt: int, attempts: int, wait_s: float, now: float) -> str:
    """'<url>: <reason>; attempt 2 of 5 in 4 s (at 10:15:04)': what a person waiting needs to know."""
    at = time.strftime("%H:%M:%S", time.localtime(now + wait_s))
    return f"{redact(url)}: {one_line(reason, 160)}; attempt {attempt} of {attempts} in {wait_s:.0f} s (at {at})"


class _AnnouncingRetry(Retry):
    """urllib3's retries, each one announced: which URL failed, why, which attempt comes and when."""

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        new = super().increment(method, url, response, error, _pool, _stacktrace)  # raises when none are left
        port = f":{_pool.port}" if _pool is not None and _pool.port else ""
        where = f"{_pool.scheme}://{_pool.host}{port}{url or ''}" if _pool is not None else str(url)
        reason = f"HTTP {response.status}" if response is not None and error is None else str(error or "failed")
        wait = (new.get_retry_after(response) if response is not None else None) or new.get_backoff_time()
        attempt, attempts = len(new.history) + 1, (self.total or 0) + len(self.history) + 1
        log.warning(retry_message(where, reason, attempt, attempts, wait, time.time()))
        return new


class _VerifyingAdapter(HTTPAdapter):
    """Whatever a caller or the environment passes, certificates are checked."""

    def send(self, request, **kwargs):
        if not kwargs.get("verify"):
            kwargs["verify"] = True
        return super().send(request, **kwargs)


class HttpClient:
    """Streamed GETs within an allow-list of hosts, with retries, limits and verification."""

    def __init__(
        self,
        allowed_hosts: frozenset[str] | set[str],
        *,
        connect_timeout_s: float = 10.0,
        read_timeout_s: float = 60.0,
        max_bytes: int = 2048 << 20,
        retries: int = 4,
        backoff_s: float = 1.0,
        backoff_max_s: float = 60.0,
        retry_after_max_s: int = 300,
        progress: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.timeout = (connect_timeout_s, read_timeout_s)
        self.max_bytes = max_bytes
        self.retries = retries
        self.progress = progress
        self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT
        self._session.headers.update(headers or {})  # e.g. an API key header: never logged
        adapter = _VerifyingAdapter(
            max_retries=_AnnouncingRetry(
                total=retries,
                connect=retries,
                read=retries,
                status=retries,
                other=0,
                allowed_methods=frozenset({"GET", "HEAD"}),
                status_forcelist=RETRY_STATUSES,
                backoff_factor=backoff_s,
                backoff_max=backoff_max_s,
                respect_retry_after_header=True,
                retry_after_max=retry_after_max_s,
                raise_on_status=False,  # the last response comes back: its status makes the message
            )
        )
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    @classmethod
    def from_settings(cls, settings, **overrides) -> HttpClient:
        options = {
            "connect_timeout_s": min(10.0, settings.http_timeout_s),
            "read_timeout_s": settings.http_timeout_s,
            "max_bytes": settings.download_max_mb << 20,
        }
        return cls(settings.allowed_hosts, **{**options, **overrides})

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- requests ----------------------------------------------------------------------------

    def get(
        self, url: str, *, params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
    ) -> requests.Response:
        """A streamed GET answered 200 or 304, redirects followed only within the allowed hosts."""
        current = full_url(url, params)
        self._check_allowed(current)
        for _ in range(MAX_REDIRECTS + 1):
            log.info("GET %s", redact(current))
            try:
                response = self._session.get(
                    current, headers=headers, stream=True, timeout=self.timeout, allow_redirects=False
                )
            except requests.RequestException as exc:
                raise DownloadError(current, self._describe(exc), transient=_transient(exc)) from exc
            if not response.is_redirect:
                return self._accepted(response, current)
            target = urljoin(current, response.headers["Location"])
            response.close()
            self._check_redirect(current, target)
            current = target
        raise DownloadError(url, f"more than {MAX_REDIRECTS} redirects")

    def iter_lines(self, url: str, *, params: Mapping[str, str] | None = None) -> Iterator[str]:
        """The lines of a text file, streamed (a listing too large to hold in memory), size-limited."""
        response = self.get(url, params=params)
        with response:
            if response.status_code != 200:
                raise DownloadError(url, f"HTTP {response.status_code} to an unconditional request")
            self._check_declared_size(response, url)
            counted = 0
            try:
                for line in response.iter_lines(chunk_size=CHUNK_BYTES):
                    counted += len(line) + 1
                    if counted > self.max_bytes:
                        raise DownloadError(url, self._over_limit("more than"))
                    yield line.decode("utf-8", errors="replace")
            except requests.RequestException as exc:
                raise DownloadError(url, self._describe(exc), transient=_transient(exc)) from exc
            self._check_complete(response, url)

    def fetch(
        self,
        url: str,
        folder: Path,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        expected_size: int | None = None,
        expected_md5: str | None = None,
        label: str | None = None,
    ) -> Fetched | None:
        """Stream the body into a hidden temporary file in `folder`, verified and fsync'ed.

        None when the server answered 304 Not Modified. On any error no temporary file is left.
        """
        shown = full_url(url, params)
        response = self.get(url, params=params, headers=headers)
        with response:
            if response.status_code == 304:
                return None
            declared = self._check_declared_size(response, shown)
            handle, name = tempfile.mkstemp(dir=folder, prefix=".kzeu-download-", suffix=".part")
            temp = Path(name)
            try:
                with os.fdopen(handle, "wb") as out:
                    size, sha256, md5 = self._stream(response, out, shown, declared, label)
                    out.flush()
                    os.fsync(out.fileno())
                self._check_complete(response, shown)
                _check_expected(shown, size, md5, expected_size, expected_md5)
            except BaseException:
                temp.unlink(missing_ok=True)
                raise
            return Fetched(temp, size, sha256, md5, response.headers.get("ETag"), response.headers.get("Last-Modified"))

    # --- checks ------------------------------------------------------------------------------

    def _stream(self, response, out, url: str, declared: int | None, label: str | None) -> tuple[int, str, str]:
        sha256, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
        with self._progress_bar(declared, label or url.rsplit("/", 1)[-1]) as bar:
            try:
                for chunk in response.iter_content(CHUNK_BYTES):
                    size += len(chunk)
                    if size > self.max_bytes:  # also guards a compressed (Content-Encoding) body
                        raise DownloadError(url, self._over_limit("more than"))
                    out.write(chunk)
                    sha256.update(chunk)
                    md5.update(chunk)
                    bar.update(len(chunk))
            except requests.RequestException as exc:
                raise DownloadError(url, self._describe(exc), transient=_transient(exc)) from exc
        return size, sha256.hexdigest(), md5.hexdigest()

    def _check_allowed(self, url: str) -> None:
        scheme, host = urlsplit(url).scheme, host_of(url)
        if scheme not in ("http", "https"):
            raise DownloadError(url, f"refused: scheme {scheme!r} (http or https only)")
        if host not in self.allowed_hosts:
            allowed = ", ".join(sorted(self.allowed_hosts))
            raise DownloadError(url, f"refused: host {host} is not one of the configured publishers ({allowed})")

    def _check_redirect(self, source: str, target: str) -> None:
        if host_of(target) not in self.allowed_hosts:
            raise DownloadError(source, f"refused a redirect to another host: {redact(target)}")
        if urlsplit(source).scheme == "https" and urlsplit(target).scheme != "https":
            raise DownloadError(source, f"refused a redirect from https to {redact(target)}")
        self._check_allowed(target)

    def _accepted(self, response: requests.Response, url: str) -> requests.Response:
        if response.status_code in (200, 304):
            return response
        status, reason = response.status_code, response.reason or ""
        response.close()
        attempts = _attempts(response)
        tried = f" after {attempts} attempts" if attempts > 1 else ""
        raise DownloadError(url, f"HTTP {status} {reason}{tried}".strip(), transient=status in RETRY_STATUSES)

    def _check_declared_size(self, response: requests.Response, url: str) -> int | None:
        declared = _content_length(response)
        if declared is not None and declared > self.max_bytes:
            raise DownloadError(url, self._over_limit(f"Content-Length {declared} bytes:"))
        return declared

    @staticmethod
    def _check_complete(response: requests.Response, url: str) -> None:
        """urllib3 already refuses a short body; the count on the wire is checked again here."""
        declared, received = _content_length(response), response.raw.tell()
        if declared is not None and received != declared:
            raise DownloadError(url, f"truncated body: {received} of {declared} bytes received", transient=True)

    def _over_limit(self, what: str) -> str:
        return f"{what} above the download limit of {self.max_bytes} bytes (KZEU_DOWNLOAD_MAX_MB)"

    def _describe(self, exc: requests.RequestException) -> str:
        """A short reason: which failure, after how many attempts (the cause chain stays on the exception)."""
        cause = exc.args[0] if exc.args else None
        retried = isinstance(cause, urllib3.exceptions.MaxRetryError)
        root = cause.reason if retried else cause
        attempts = f" after {self.retries + 1} attempts" if retried else ""
        if isinstance(exc, requests.exceptions.SSLError):
            return f"TLS failed (certificates are always verified): {root}"
        if isinstance(exc, requests.exceptions.ChunkedEncodingError):
            return "truncated body: the connection closed before the declared length was received"
        # refused or unknown host; tested first, as urllib3 derives it from ConnectTimeoutError
        if isinstance(root, urllib3.exceptions.NewConnectionError):
            return f"could not connect{attempts}: {root}"
        if isinstance(exc, requests.exceptions.ConnectTimeout) or isinstance(
            root, urllib3.exceptions.ConnectTimeoutError
        ):
            return f"connect timeout: no connection within {self.timeout[0]} s{attempts}"
        if isinstance(exc, requests.exceptions.ReadTimeout) or isinstance(root, urllib3.exceptions.ReadTimeoutError):
            return f"no data within the read timeout of {self.timeout[1]} s{attempts}"
        return f"connection failed{attempts}: {root or exc}"

    @contextmanager
    def _progress_bar(self, declared: int | None, label: str):
        shown = show_progress(self.progress, sys.stderr.isatty(), declared)
        with tqdm(
            total=declared,
            desc=label,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            disable=not shown,
            leave=False,
            file=sys.stderr,
        ) as bar:
            yield bar


def _transient(exc: requests.RequestException) -> bool:
    """Network trouble may pass; a certificate or a malformed URL will not."""
    permanent = (
        requests.exceptions.SSLError,
        requests.exceptions.InvalidURL,
        requests.exceptions.MissingSchema,
        requests.exceptions.InvalidSchema,
    )
    return not isinstance(exc, permanent)


def _content_length(response: requests.Response) -> int | None:
    value = response.headers.get("Content-Length")
    return int(value) if value and value.isdigit() else None


def _attempts(response: requests.Response) -> int:
    retries = getattr(response.raw, "retries", None)
    return len(retries.history) + 1 if retries is not None else 1


def _check_expected(url: str, size: int, md5: str, expected_size: int | None, expected_md5: str | None) -> None:
    """The publisher's own size and checksum (GDELT lists both for every file)."""
    if expected_size is not None and size != expected_size:
        raise DownloadError(url, f"size mismatch: {size} bytes received, the publisher lists {expected_size}")
    if expected_md5 is not None and md5 != expected_md5.lower():
        raise DownloadError(url, f"MD5 mismatch: received {md5}, the publisher lists {expected_md5.lower()}")
