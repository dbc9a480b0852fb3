"""A local stand-in for the publishers: an HTTP server on 127.0.0.1 (ephemeral port, own thread)
serving publisher-format bodies built from the project's real-data fixtures.

Each route answers with a list of `Reply` objects in turn (the last one repeats), so a test can
script "500, then 200", a 304 to a matching If-None-Match, a body shorter than its Content-Length,
a slow answer or a redirect, and then read back what the client sent (`server.hits(path)`).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import shutil
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import py7zr
import py7zr.py7zr
import pytest

from fixtures_energy import SDMX_OIL_HEADER, coifpm_sdmx, sdmx_oil
from fixtures_gdelt import (
    GDELT2_ACTOR_GEO_ONLY,
    GDELT2_KAZ_CHINA,
    GDELT2_KAZ_CHINA_1711,
    GDELT2_KAZ_MILITARY,
    gdelt_text,
    zipped,
)
from fixtures_trade import bulk_18, sdmx
from pipelines.connectors.http import HttpClient


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # a matching If-None-Match is answered 304
    last_modified: str | None = None  # a matching If-Modified-Since is answered 304
    declared_length: int | None = None  # a Content-Length larger than the body: a truncated answer
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    delay_s: float = 0.0  # wait before answering: a slow server


@dataclass(frozen=True)
class Hit:
    path: str  # with the query string
    headers: dict[str, str]


class PublisherServer:
    def __init__(self, tls_context: ssl.SSLContext | None = None):
        self._routes: dict[str, list[Reply]] = {}
        self._hits: list[Hit] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        if tls_context is not None:
            self._httpd.socket = tls_context.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        scheme = "https" if tls_context else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.localhost_url = f"{scheme}://localhost:{self.port}"  # the same server under another host name
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def serve(self, path: str, *replies: Reply | bytes) -> str:
        """Answer GET `path` (with or without its query) with these replies in turn; returns the URL."""
        with self._lock:
            self._routes[path] = [r if isinstance(r, Reply) else Reply(body=r) for r in replies]
        return self.url + path

    def hits(self, path: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self._hits if path is None or urlsplit(h.path).path == path or h.path == path]

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next_reply(self, raw_path: str, headers: dict[str, str]) -> Reply | None:
        with self._lock:
            self._hits.append(Hit(raw_path, headers))
            replies = self._routes.get(raw_path) or self._routes.get(urlsplit(raw_path).path)
            if not replies:
                return None
            return replies.pop(0) if len(replies) > 1 else replies[0]


def _handler_for(server: PublisherServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self):
            reply = server._next_reply(self.path, dict(self.headers.items()))
            if reply is None:
                return self._answer(Reply(404, b"not found"))
            if reply.delay_s and server.stopping.wait(reply.delay_s):
                return  # the server is stopping: drop the connection
            if self._not_modified(reply):
                return self._answer(Reply(304, headers={"ETag": reply.etag} if reply.etag else {}))
            self._answer(reply)

        def _not_modified(self, reply: Reply) -> bool:
            if reply.etag and self.headers.get("If-None-Match") == reply.etag:
                return True
            return bool(reply.last_modified) and self.headers.get("If-Modified-Since") == reply.last_modified

        def _answer(self, reply: Reply) -> None:
            self.send_response(reply.status)
            headers = dict(reply.headers)
            if reply.etag:
                headers.setdefault("ETag", reply.etag)
            if reply.last_modified:
                headers.setdefault("Last-Modified", reply.last_modified)
            if reply.send_length and reply.status != 304:
                headers["Content-Length"] = str(reply.declared_length or len(reply.body))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(OSError):  # the client may have given up (timeouts, limits)
                if reply.status != 304:
                    self.wfile.write(reply.body)
                self.wfile.flush()

        def log_message(self, *args) -> None:  # quiet test output
            pass

    return Handler


@pytest.fixture
def publisher():
    server = PublisherServer()
    yield server
    server.stop()


def fast_client(*hosts: str, **options) -> HttpClient:
    """A client for tests: short timeouts and a tiny backoff, so retries cost milliseconds."""
    settings = {
        "connect_timeout_s": 2.0,
        "read_timeout_s": 2.0,
        "retries": 2,
        "backoff_s": 0.001,
        "backoff_max_s": 0.01,
        "retry_after_max_s": 2,
        "progress": False,
        **options,
    }
    return HttpClient(frozenset(hosts or ("127.0.0.1",)), **settings)


def self_signed_tls(folder: Path) -> ssl.SSLContext:
    """A server context with a throwaway self-signed certificate for 127.0.0.1 (needs openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a self-signed certificate")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


# --- publisher-format bodies ------------------------------------------------------------------


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


# Eurostat SDMX-CSV: the real oil and coifpm rows of fixtures_energy; the gas row re-expresses the
# real HR 2013 figure of the gas extract (6660 TJ_GCV) in Eurostat's SDMX-CSV shape.
SDMX_OIL = sdmx_oil().encode()
SDMX_GAS = sdmx_oil(
    ["ESTAT:NRG_TI_GAS(1.0),28/02/24 11:00:00,A,G3000,KZ,TJ_GCV,HR,2013,6660,"], header=SDMX_OIL_HEADER
).encode()
SDMX_COIFPM = coifpm_sdmx().encode()
SDMX_COMEXT = sdmx().encode()

# GDELT 2.0: real rows of two 15-minute batches of 2020-11-15 and one of 2020-11-14 (fixtures_gdelt).
GDELT_DAY = "2020-11-15"
GDELT_BATCHES = {
    "20201115081500": [GDELT2_KAZ_CHINA, GDELT2_KAZ_CHINA_1711],
    "20201115083000": [GDELT2_ACTOR_GEO_ONLY],
    "20201114134500": [GDELT2_KAZ_MILITARY],
}


def gdelt_export_zip(batch: str, member: str | None = None) -> bytes:
    return zipped(gdelt_text(GDELT_BATCHES[batch]), member=member or f"{batch}.export.CSV")


def listing_line(body: bytes, url: str, md5: str | None = None, size: int | None = None) -> str:
    """A line of GDELT's lastupdate.txt / masterfilelist.txt: size, MD5, URL."""
    return f"{len(body) if size is None else size} {md5 or md5_hex(body)} {url}"


def masterfilelist(base_url: str, exports: dict[str, bytes], **overrides) -> bytes:
    """Export, mentions and GKG lines per batch, as GDELT lists them (mentions/GKG are not served)."""
    lines = []
    for batch, body in exports.items():
        line = overrides.get(batch) or listing_line(body, f"{base_url}/gdeltv2/{batch}.export.CSV.zip")
        lines += [
            line,
            f"318084 bb27f78ba45f69a17ea6ed7755e9f8ff {base_url}/gdeltv2/{batch}.mentions.CSV.zip",
            f"10768507 ea8dde0beb0ba98810a92db068c0ce99 {base_url}/gdeltv2/{batch}.gkg.csv.zip",
        ]
    return ("\n".join(lines) + "\n").encode()


def seven_zip(members: dict[str, bytes], *, allow_any_name: bool = False) -> bytes:
    """A 7z archive as Comext serves its bulk months. `allow_any_name` lets a test build a hostile
    archive (`../x.dat`), which py7zr itself refuses to write."""
    buffer = io.BytesIO()
    check = py7zr.py7zr.check_archive_path
    if allow_any_name:
        py7zr.py7zr.check_archive_path = lambda name: True
    try:
        with py7zr.SevenZipFile(buffer, "w") as archive:
            for name, data in members.items():
                archive.writestr(data, name)
    finally:
        py7zr.py7zr.check_archive_path = check
    return buffer.getvalue()


COMEXT_BULK_DAT = bulk_18().encode()  # real rows of full_202402.dat (Austria's exports to Andorra)
COMEXT_BULK_7Z = seven_zip({"full_202402.dat": COMEXT_BULK_DAT})


def gunzip(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())
