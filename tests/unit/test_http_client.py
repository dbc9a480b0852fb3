"""The HTTP client and the file download against a local server: retries, limits, refusals,
conditional requests and atomic writes. Every test writes only under tmp_path."""

from __future__ import annotations

import json
import logging
import re
import time

import pytest

from http_fixtures import PublisherServer, Reply, fast_client, md5_hex, publisher, self_signed_tls  # noqa: F401
from pipelines.connectors.download import Expected, download_file
from pipelines.connectors.http import DownloadError, HttpClient, redact, secret_from_env, show_progress
from pipelines.connectors.state import STATE_FILE, read_state
from pipelines.settings import load_settings

BODY = b"DATAFLOW,LAST UPDATE,freq\nESTAT:NRG_TI_OIL(1.0),28/02/24 11:00:00,A\n"


def leftovers(folder) -> list[str]:
    """Temporary files a failed download must not leave behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".kzeu-"))


@pytest.fixture
def client():
    with fast_client() as http:
        yield http


# --- success, conditional requests, identical content -----------------------------------------


def test_download_writes_the_file_and_records_its_validators(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", Reply(body=BODY, etag='"v1"', last_modified="Wed, 28 Feb 2024 10:00:00 GMT"))
    result = download_file(client, url, tmp_path / "oil.csv")

    assert (result.status, result.bytes, result.file) == ("downloaded", len(BODY), tmp_path / "oil.csv")
    assert (tmp_path / "oil.csv").read_bytes() == BODY
    entry = read_state(tmp_path)[url]
    assert (entry.file, entry.etag, entry.last_modified) == ("oil.csv", '"v1"', "Wed, 28 Feb 2024 10:00:00 GMT")
    assert oct((tmp_path / "oil.csv").stat().st_mode & 0o777) == "0o644"
    assert leftovers(tmp_path) == []


def test_a_304_leaves_the_file_untouched(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", Reply(body=BODY, etag='"v1"', last_modified="Wed, 28 Feb 2024 10:00:00 GMT"))
    target = tmp_path / "oil.csv"
    download_file(client, url, target)
    before = target.stat().st_mtime_ns

    again = download_file(client, url, target)

    assert again.status == "unchanged"
    assert target.stat().st_mtime_ns == before
    sent = publisher.hits("/data/oil")[-1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Wed, 28 Feb 2024 10:00:00 GMT"


def test_identical_content_leaves_the_file_untouched(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", BODY)  # no validators: the sha256 decides
    target = tmp_path / "oil.csv"
    download_file(client, url, target)
    before = target.stat().st_mtime_ns

    again = download_file(client, url, target)

    assert again.status == "unchanged"
    assert target.stat().st_mtime_ns == before
    assert "If-None-Match" not in publisher.hits("/data/oil")[-1].headers
    assert leftovers(tmp_path) == []


def test_changed_content_replaces_the_file(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", BODY, BODY + b"ESTAT:NRG_TI_OIL(1.0),28/02/24 11:00:00,M\n")
    target = tmp_path / "oil.csv"
    download_file(client, url, target)

    assert download_file(client, url, target).status == "downloaded"
    assert target.read_bytes().endswith(b",M\n")


def test_a_file_removed_or_edited_locally_is_fetched_unconditionally(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", Reply(body=BODY, etag='"v1"'))
    target = tmp_path / "oil.csv"
    download_file(client, url, target)
    target.write_bytes(b"edited by hand")

    assert download_file(client, url, target).status == "downloaded"
    assert "If-None-Match" not in publisher.hits("/data/oil")[-1].headers
    assert target.read_bytes() == BODY


def test_a_damaged_state_file_costs_only_an_unconditional_request(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", Reply(body=BODY, etag='"v1"'))
    (tmp_path / STATE_FILE).write_text("{not json")

    assert download_file(client, url, tmp_path / "oil.csv").status == "downloaded"
    assert url in json.loads((tmp_path / STATE_FILE).read_text())


def test_a_file_matching_the_published_checksum_is_not_requested_again(publisher, client, tmp_path):
    url = publisher.serve("/gdeltv2/batch.zip", BODY)
    expected = Expected(size=len(BODY), md5=md5_hex(BODY))
    download_file(client, url, tmp_path / "batch.zip", expected=expected)

    assert download_file(client, url, tmp_path / "batch.zip", expected=expected).status == "unchanged"
    assert len(publisher.hits("/gdeltv2/batch.zip")) == 1


# --- errors: status, retries, truncation, timeouts --------------------------------------------


def test_a_404_is_not_retried_and_leaves_nothing(publisher, client, tmp_path):
    url = publisher.serve("/data/missing", Reply(404, b"No results found"))

    with pytest.raises(DownloadError) as error:
        download_file(client, url, tmp_path / "missing.csv")

    assert str(error.value) == f"{url}: HTTP 404 Not Found"
    assert not error.value.transient  # trying again later would not help
    assert len(publisher.hits("/data/missing")) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_500_is_retried_then_succeeds(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", Reply(500, b"busy"), Reply(body=BODY))

    result = download_file(client, url, tmp_path / "oil.csv")

    assert result.status == "downloaded"
    assert len(publisher.hits("/data/oil")) == 2


def test_a_500_forever_fails_after_every_attempt_without_a_temporary_file(publisher, tmp_path):
    url = publisher.serve("/data/oil", Reply(503, b"down"))

    with fast_client(retries=3) as client, pytest.raises(DownloadError) as error:
        download_file(client, url, tmp_path / "oil.csv")

    assert "HTTP 503" in str(error.value) and "after 4 attempts" in str(error.value)
    assert error.value.transient  # a later run may succeed
    assert len(publisher.hits("/data/oil")) == 4
    assert list(tmp_path.iterdir()) == []


def test_retry_after_is_honoured(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", Reply(429, b"slow down", headers={"Retry-After": "1"}), Reply(body=BODY))
    started = time.monotonic()

    download_file(client, url, tmp_path / "oil.csv")

    assert time.monotonic() - started >= 0.9  # the tiny test backoff alone would take milliseconds


def test_a_truncated_body_is_an_error_and_nothing_is_written(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", Reply(body=BODY, declared_length=len(BODY) + 100))

    with pytest.raises(DownloadError, match="truncated"):
        download_file(client, url, tmp_path / "oil.csv")

    assert list(tmp_path.iterdir()) == []


def test_a_slow_server_fails_quickly_on_the_read_timeout(publisher, tmp_path):
    url = publisher.serve("/data/oil", Reply(body=BODY, delay_s=5))
    started = time.monotonic()

    with (
        fast_client(read_timeout_s=0.2, retries=1) as client,
        pytest.raises(DownloadError, match="read timeout") as error,
    ):
        download_file(client, url, tmp_path / "oil.csv")

    assert error.value.transient
    assert time.monotonic() - started < 2
    assert list(tmp_path.iterdir()) == []


# --- refusals: hosts, redirects, sizes, TLS -----------------------------------------------------


def test_a_host_outside_the_configured_publishers_is_refused_without_a_request(publisher, client, tmp_path):
    publisher.serve("/data/oil", BODY)

    with pytest.raises(DownloadError, match="host localhost is not one of the configured publishers"):
        download_file(client, f"{publisher.localhost_url}/data/oil", tmp_path / "oil.csv")

    assert publisher.hits() == []


def test_a_redirect_to_another_host_is_refused(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", Reply(302, headers={"Location": f"{publisher.localhost_url}/elsewhere"}))
    publisher.serve("/elsewhere", BODY)

    with pytest.raises(DownloadError, match="refused a redirect to another host: http://localhost"):
        download_file(client, url, tmp_path / "oil.csv")

    assert publisher.hits("/elsewhere") == []
    assert list(tmp_path.iterdir()) == []


def test_a_redirect_within_the_allowed_hosts_is_followed(publisher, client, tmp_path):
    url = publisher.serve("/data/oil", Reply(301, headers={"Location": "/data/oil-v2"}))
    publisher.serve("/data/oil-v2", BODY)

    assert download_file(client, url, tmp_path / "oil.csv").status == "downloaded"


def test_a_redirect_from_https_down_to_http_is_refused(client):
    with pytest.raises(DownloadError, match=re.escape("from https to http://127.0.0.1/b")):
        client._check_redirect("https://127.0.0.1/a", "http://127.0.0.1/b")


def test_a_declared_size_above_the_limit_is_refused_before_streaming(publisher, tmp_path):
    url = publisher.serve("/big", Reply(body=BODY))

    with (
        fast_client(max_bytes=10) as client,
        pytest.raises(DownloadError, match=f"Content-Length {len(BODY)} bytes: above"),
    ):
        download_file(client, url, tmp_path / "big.csv")

    assert list(tmp_path.iterdir()) == []


def test_a_streamed_size_above_the_limit_is_aborted(publisher, tmp_path):
    url = publisher.serve("/big", Reply(body=BODY * 100, send_length=False))

    with (
        fast_client(max_bytes=1000) as client,
        pytest.raises(DownloadError, match="more than above the download limit"),
    ):
        download_file(client, url, tmp_path / "big.csv")

    assert list(tmp_path.iterdir()) == []


def test_tls_certificates_are_always_verified(tmp_path):
    server = PublisherServer(tls_context=self_signed_tls(tmp_path))
    try:
        url = server.serve("/data/oil", BODY)
        with fast_client() as client:
            client._session.verify = False  # even a caller who tries cannot turn verification off
            refused = r"TLS failed \(certificates are always verified\): .*CERTIFICATE_VERIFY_FAILED"
            with pytest.raises(DownloadError, match=refused) as error:
                client.fetch(url, tmp_path)
            assert not error.value.transient
    finally:
        server.stop()
    assert leftovers(tmp_path) == []


# --- secrets, progress, settings ---------------------------------------------------------------


def test_secrets_stay_out_of_messages_and_logs(publisher, tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("KZEU_COMTRADE_KEY", "s3cr3t-key")
    key = secret_from_env("KZEU_COMTRADE_KEY")
    url = publisher.serve("/data/comtrade", Reply(403, b"forbidden"))
    caplog.set_level(logging.DEBUG)

    with fast_client(headers={"Ocp-Apim-Subscription-Key": key}) as client, pytest.raises(DownloadError) as error:
        download_file(client, url, tmp_path / "c.csv", params={"subscription-key": key})

    assert publisher.hits("/data/comtrade")[0].headers["Ocp-Apim-Subscription-Key"] == key
    assert key not in str(error.value) and "subscription-key=***" in str(error.value)
    assert key not in caplog.text

    publisher.serve("/data/comtrade", BODY)
    with fast_client(headers={"Ocp-Apim-Subscription-Key": key}) as client:
        download_file(client, url, tmp_path / "c.csv", params={"subscription-key": key})
    assert key not in (tmp_path / STATE_FILE).read_text() and key not in caplog.text
    assert redact("http://h/x?period=2024&token=abc") == "http://h/x?period=2024&token=***"
    assert secret_from_env("KZEU_UNSET_SECRET_FOR_TEST") is None


def test_the_progress_bar_shows_only_on_a_terminal_for_long_downloads():
    assert show_progress(None, is_tty=True, declared_bytes=100 << 20)
    assert show_progress(None, is_tty=True, declared_bytes=None)  # unknown length: could be long
    assert not show_progress(None, is_tty=True, declared_bytes=1000)
    assert not show_progress(None, is_tty=False, declared_bytes=100 << 20)
    assert not show_progress(False, is_tty=True, declared_bytes=100 << 20)


def test_settings_give_the_publishers_hosts_limits_and_timeouts(monkeypatch):
    monkeypatch.setenv("KZEU_EUROSTAT_URL", "http://127.0.0.1:8081/eurostat/api/")
    monkeypatch.setenv("KZEU_GDELT_URL", "http://localhost:8082")
    monkeypatch.setenv("KZEU_DOWNLOAD_MAX_MB", "5")
    monkeypatch.setenv("KZEU_HTTP_TIMEOUT_S", "2.5")
    settings = load_settings()

    assert settings.eurostat_url == "http://127.0.0.1:8081/eurostat/api"
    assert settings.allowed_hosts == {"127.0.0.1", "localhost"}
    client = HttpClient.from_settings(settings)
    assert (client.max_bytes, client.timeout) == (5 << 20, (2.5, 2.5))

    monkeypatch.setenv("KZEU_GDELT_URL", "ftp://data.gdeltproject.org")
    with pytest.raises(ValueError, match="KZEU_GDELT_URL"):
        load_settings()
    monkeypatch.delenv("KZEU_GDELT_URL")
    monkeypatch.setenv("KZEU_DOWNLOAD_MAX_MB", "lots")
    with pytest.raises(ValueError, match="KZEU_DOWNLOAD_MAX_MB='lots': expected a int"):
        load_settings()


def test_defaults_point_at_the_real_publishers(monkeypatch):
    for name in ("KZEU_EUROSTAT_URL", "KZEU_GDELT_URL", "KZEU_DOWNLOAD_MAX_MB", "KZEU_HTTP_TIMEOUT_S"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.eurostat_url == "https://ec.europa.eu/eurostat/api"
    assert settings.gdelt_url == "http://data.gdeltproject.org"
    assert settings.allowed_hosts == {"ec.europa.eu", "data.gdeltproject.org"}
    assert settings.download_max_mb == 2048
