"""The source connectors against a local publisher: URL shapes, file names, verification, archive
safety, and the whole way from the server through the raw folder into the raw tables."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest

from http_fixtures import (  # noqa: F401 (publisher is a fixture)
    COMEXT_BULK_7Z,
    COMEXT_BULK_DAT,
    GDELT_BATCHES,
    GDELT_DAY,
    SDMX_COIFPM,
    SDMX_COMEXT,
    SDMX_GAS,
    SDMX_OIL,
    fast_client,
    gdelt_export_zip,
    gunzip,
    listing_line,
    masterfilelist,
    md5_hex,
    publisher,
    seven_zip,
)
from pipelines.connectors import (
    DownloadError,
    refresh_energy,
    refresh_gdelt1_day,
    refresh_gdelt_day,
    refresh_gdelt_latest,
    refresh_trade,
    refresh_trade_bulk,
)
from pipelines.connectors.eurostat import comext_reporters, energy_queries, kazakh_crude_grades, sdmx_key
from pipelines.connectors.gdelt import parse_listing_line, v1_listing, v2_exports
from pipelines.connectors.periods import Period, parse_day
from pipelines.core.landing import land_folder
from pipelines.domains.diplomacy.readers.gdelt_export import read_gdelt_file
from pipelines.domains.diplomacy.schema import GDELT
from pipelines.domains.energy.readers import read_energy_file
from pipelines.domains.energy.schema import ENERGY_IMPORTS
from pipelines.domains.trade.readers import read_trade_file
from pipelines.domains.trade.schema import TRADE_FLOWS
from pipelines.settings import Settings

API = "/eurostat/api"


@pytest.fixture
def settings(publisher, tmp_path) -> Settings:
    """The project pointed at the local publisher (both base URLs on 127.0.0.1)."""
    return Settings(
        raw_dir=tmp_path / "raw",
        warehouse=tmp_path / "warehouse" / "kzeu.duckdb",
        trade_partners=("KZ", "AM"),
        eurostat_url=publisher.url + API,
        gdelt_url=publisher.url,
    )


@pytest.fixture
def client():
    with fast_client() as http:
        yield http


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def hidden_leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".kzeu-")) if folder.exists() else []


def query_of(hit) -> dict[str, list[str]]:
    return parse_qs(urlsplit(hit.path).query)


# --- pure parts: periods, keys, listings --------------------------------------------------------


def test_periods_are_years_or_months_and_days_are_dates():
    assert Period.parse("2024-03") == Period.parse("202403") == Period.parse(date(2024, 3, 9)) == Period(2024, 3)
    assert Period.parse("2024-03-01") == Period(2024, 3)  # a Dagster monthly partition key
    assert Period.parse("2024").window(monthly=True) == ("2024-01", "2024-12")
    assert Period.parse("2024-03").window(monthly=False) == ("2024", "2024")  # an annual dataset: its year
    assert (Period(2024, 3).comext_bulk_code, Period(2024).comext_bulk_code) == ("202403", "202452")
    assert parse_day("2020-11-15") == parse_day("20201115") == date(2020, 11, 15)
    with pytest.raises(ValueError, match="month 13"):
        Period.parse("2024-13")


def test_sdmx_keys_follow_the_data_structure_order():
    assert sdmx_key((), (), ("KZ",), (), ()) == "..KZ.."
    assert energy_queries()["nrg_ti_coifpm"].key == ".KZ_CPC_BLN+KZ_KEBCO_BLN+KZ_KKL+KZ_MSC+KZ_SIB_LGHT+KZ_URL+TOTAL.."
    assert kazakh_crude_grades()[-1] == "TOTAL"
    reporters = comext_reporters()
    assert reporters[0] == "EU27_2020" and len(reporters) == 28 and "GR" in reporters and "EL" not in reporters


def test_gdelt_listings_keep_the_event_exports_of_the_day():
    lines = masterfilelist("http://data.gdeltproject.org", {b: gdelt_export_zip(b) for b in GDELT_BATCHES}).decode()
    names = [f.name for f in v2_exports(lines.splitlines(), date(2020, 11, 15))]
    assert names == ["20201115081500.export.CSV.zip", "20201115083000.export.CSV.zip"]
    assert parse_listing_line("not a listing line") is None
    assert parse_listing_line("12 zz 20201115081500.export.CSV.zip") is None  # not an MD5
    md5s, sizes = ["d41d8cd98f00b204e9800998ecf8427e  20160728.export.CSV.zip"], ["63012 20160728.export.CSV.zip"]
    assert v1_listing(md5s, sizes, "20160728.export.CSV.zip").size == 63012
    assert v1_listing(md5s, [], "20160728.export.CSV.zip") is None


# --- Eurostat energy ------------------------------------------------------------------------


def serve_energy(publisher) -> None:
    queries = energy_queries()
    for name, body in (
        ("nrg_ti_oil", SDMX_OIL),
        ("nrg_ti_gas", SDMX_GAS),
        ("nrg_ti_sff", SDMX_OIL),
        ("nrg_ti_coifpm", SDMX_COIFPM),
    ):
        publisher.serve(f"{API}/dissemination/sdmx/2.1/data/{name}/{queries[name].key}", body)


def test_energy_downloads_sdmx_csv_per_dataset_and_period(publisher, settings, client):
    serve_energy(publisher)

    results = refresh_energy(settings, "2022-01", client=client)

    assert [r.file.name for r in results] == [
        "eurostat_nrg_ti_oil_KZ_2022.sdmx.csv",
        "eurostat_nrg_ti_gas_KZ_2022.sdmx.csv",
        "eurostat_nrg_ti_sff_KZ_2022.sdmx.csv",
        "eurostat_nrg_ti_coifpm_KZ_2022-01.sdmx.csv",
    ]
    assert {r.status for r in results} == {"downloaded"}
    oil, coifpm = publisher.hits(f"{API}/dissemination/sdmx/2.1/data/nrg_ti_oil/..KZ..")[0], publisher.hits()[-1]
    assert query_of(oil) == {"format": ["SDMX-CSV"], "startPeriod": ["2022"], "endPeriod": ["2022"]}
    assert query_of(coifpm) == {"format": ["SDMX-CSV"], "startPeriod": ["2022-01"], "endPeriod": ["2022-01"]}


def test_energy_end_to_end_server_to_raw_table_and_unchanged_on_refresh(publisher, settings, client, con):
    serve_energy(publisher)
    datasets = ("nrg_ti_oil", "nrg_ti_gas", "nrg_ti_coifpm")
    refresh_energy(settings, "2022-01", datasets=datasets, client=client)

    loads = land_folder(con, settings.raw_dir, "energy", ENERGY_IMPORTS, read_energy_file)

    assert [(load.file, load.status) for load in loads] == [
        ("energy/eurostat_nrg_ti_coifpm_KZ_2022-01.sdmx.csv", "loaded"),
        ("energy/eurostat_nrg_ti_gas_KZ_2022.sdmx.csv", "loaded"),
        ("energy/eurostat_nrg_ti_oil_KZ_2022.sdmx.csv", "loaded"),
    ]
    assert con.execute("SELECT obs_value FROM raw.energy_imports WHERE dataset = 'nrg_ti_gas'").fetchall() == [(6660,)]

    again = refresh_energy(settings, "2022-01", datasets=datasets, client=client)  # same content served
    assert {r.status for r in again} == {"unchanged"}
    relanded = land_folder(con, settings.raw_dir, "energy", ENERGY_IMPORTS, read_energy_file)
    assert {load.status for load in relanded} == {"unchanged"}


# --- Comext ------------------------------------------------------------------------------------


def test_trade_end_to_end_sdmx_csv_with_the_configured_partners(publisher, settings, client, con):
    key = f"M.{'+'.join(comext_reporters())}.KZ+AM.TOTAL+27.1+2.VALUE_IN_EUROS"
    publisher.serve(f"{API}/comext/dissemination/sdmx/2.1/data/DS-045409/{key}", SDMX_COMEXT)

    [result] = refresh_trade(settings, "2021-01", client=client)

    assert (result.file.name, result.status) == ("comext_ds045409_2021-01.sdmx.csv", "downloaded")
    assert query_of(publisher.hits()[0])["startPeriod"] == ["2021-01"]
    loads = land_folder(
        con, settings.raw_dir, "trade", TRADE_FLOWS, lambda c, path: read_trade_file(c, path, settings.trade_partners)
    )
    assert loads[0].status == "loaded" and loads[0].rows_kept > 0


def serve_bulk(publisher, body: bytes) -> str:
    return publisher.serve(f"{API}/dissemination/files/?file=comext%2FCOMEXT_DATA%2FPRODUCTS%2Ffull_v2_202402.7z", body)


def test_trade_bulk_month_is_extracted_gzipped_and_lands(publisher, settings, client, con):
    serve_bulk(publisher, COMEXT_BULK_7Z)
    bulk_settings = replace(settings, trade_partners=("AD",))  # the real rows are Austria -> Andorra

    [result] = refresh_trade_bulk(bulk_settings, "2024-02", client=client)

    trade = settings.raw_dir / "trade"
    assert (result.file.name, result.status) == ("full_202402.dat.gz", "downloaded")
    assert gunzip(result.file) == COMEXT_BULK_DAT
    assert sorted(p.name for p in trade.iterdir()) == [".downloads.json", ".downloads.lock", "full_202402.dat.gz"]
    loads = land_folder(
        con,
        settings.raw_dir,
        "trade",
        TRADE_FLOWS,
        lambda c, path: read_trade_file(c, path, bulk_settings.trade_partners),
    )
    assert (loads[0].status, loads[0].rows_read) == ("loaded", 4)

    before = result.file.stat().st_mtime_ns
    [again] = refresh_trade_bulk(bulk_settings, "2024-02", client=client)
    assert (again.status, again.file.stat().st_mtime_ns) == ("unchanged", before)


@pytest.mark.parametrize(
    "members, reason",
    [
        ({"../x.dat": COMEXT_BULK_DAT}, "has a path \\('../x.dat'\\)"),
        ({"/tmp/x.dat": COMEXT_BULK_DAT}, "has a path"),
        ({"full_202402.dat": COMEXT_BULK_DAT, "readme.txt": b"hi"}, "with 2 files"),
        ({"full_202402.csv": COMEXT_BULK_DAT}, "is not a .dat file"),
    ],
)
def test_trade_bulk_refuses_unsafe_or_unexpected_archives(publisher, settings, client, tmp_path, members, reason):
    serve_bulk(publisher, seven_zip(members, allow_any_name=True))

    with pytest.raises(DownloadError, match=reason):
        refresh_trade_bulk(settings, "2024-02", client=client)

    trade = settings.raw_dir / "trade"
    assert [p.name for p in trade.iterdir() if not p.name.startswith(".downloads")] == []
    assert not (tmp_path / "x.dat").exists() and not (settings.raw_dir / "x.dat").exists()


def test_trade_bulk_member_above_the_size_limit_is_refused(publisher, settings):
    serve_bulk(publisher, COMEXT_BULK_7Z)

    with (
        fast_client(max_bytes=len(COMEXT_BULK_DAT) - 1) as small,
        pytest.raises(DownloadError, match="above the limit"),
    ):
        refresh_trade_bulk(settings, "2024-02", client=small)

    assert hidden_leftovers(settings.raw_dir / "trade") == []


# --- GDELT ----------------------------------------------------------------------------------


def serve_gdelt_day(publisher, **listing_overrides) -> dict[str, bytes]:
    zips = {batch: gdelt_export_zip(batch) for batch in GDELT_BATCHES}
    publisher.serve("/gdeltv2/masterfilelist.txt", masterfilelist(publisher.url, zips, **listing_overrides))
    for batch, body in zips.items():
        publisher.serve(f"/gdeltv2/{batch}.export.CSV.zip", body)
    return zips


def test_gdelt_day_end_to_end_verified_exports_land(publisher, settings, client, con):
    zips = serve_gdelt_day(publisher)

    results = refresh_gdelt_day(settings, GDELT_DAY, client=client)

    assert [(r.file.name, r.status) for r in results] == [
        ("20201115081500.export.CSV.zip", "downloaded"),
        ("20201115083000.export.CSV.zip", "downloaded"),
    ]
    assert results[0].file.read_bytes() == zips["20201115081500"]
    assert publisher.hits("/gdeltv2/20201114134500.export.CSV.zip") == []  # another day
    loads = land_folder(con, settings.raw_dir, "gdelt", GDELT, read_gdelt_file)
    assert [(load.status, load.rows_read) for load in loads] == [("loaded", 2), ("loaded", 1)]
    ids = con.execute("SELECT global_event_id FROM raw.gdelt_events ORDER BY 1").fetchall()
    assert ids == [(954740637,), (954740640,)]  # the Kazakh rows; the batch of 08:30 has none

    again = refresh_gdelt_day(settings, GDELT_DAY, client=client)
    assert {r.status for r in again} == {"unchanged"}
    assert len(publisher.hits("/gdeltv2/20201115081500.export.CSV.zip")) == 1  # verified on disk: not fetched


def test_gdelt_md5_mismatch_is_an_error_and_nothing_lands(publisher, settings, client):
    body = gdelt_export_zip("20201115081500")
    wrong = listing_line(body, f"{publisher.url}/gdeltv2/20201115081500.export.CSV.zip", md5="0" * 32)
    serve_gdelt_day(publisher, **{"20201115081500": wrong})

    with pytest.raises(DownloadError, match=r"MD5 mismatch: received [0-9a-f]{32}, the publisher lists 0{32}") as error:
        refresh_gdelt_day(settings, GDELT_DAY, client=client)

    assert not error.value.transient

    gdelt = settings.raw_dir / "gdelt"
    assert [p.name for p in gdelt.iterdir() if not p.name.startswith(".downloads")] == []


def test_gdelt_zip_member_with_a_path_is_refused(publisher, settings, client):
    hostile = gdelt_export_zip("20201115081500", member="../x")
    publisher.serve(
        "/gdeltv2/masterfilelist.txt",
        listing_line(hostile, f"{publisher.url}/gdeltv2/20201115081500.export.CSV.zip").encode(),
    )
    publisher.serve("/gdeltv2/20201115081500.export.CSV.zip", hostile)

    with pytest.raises(DownloadError, match=re.escape("the zip member has a path ('../x')")):
        refresh_gdelt_day(settings, GDELT_DAY, client=client)

    assert not (settings.raw_dir / "gdelt" / "20201115081500.export.CSV.zip").exists()
    assert hidden_leftovers(settings.raw_dir / "gdelt") == []


def test_gdelt_listed_urls_on_another_host_are_fetched_from_the_configured_one(publisher, settings, client):
    body = gdelt_export_zip("20201115081500")
    publisher.serve(
        "/gdeltv2/masterfilelist.txt",
        listing_line(body, "http://elsewhere.example/gdeltv2/20201115081500.export.CSV.zip").encode(),
    )
    publisher.serve("/gdeltv2/20201115081500.export.CSV.zip", body)

    [result] = refresh_gdelt_day(settings, GDELT_DAY, client=client)

    assert result.status == "downloaded" and result.url.startswith(publisher.url)


def test_gdelt_day_without_exports_is_an_error(publisher, settings, client):
    serve_gdelt_day(publisher)

    with pytest.raises(DownloadError, match="no event export listed for 2021-01-01"):
        refresh_gdelt_day(settings, "2021-01-01", client=client)


def test_gdelt_latest_batch_from_lastupdate(publisher, settings, client):
    body = gdelt_export_zip("20201114134500")
    publisher.serve("/gdeltv2/lastupdate.txt", masterfilelist(publisher.url, {"20201114134500": body}))
    publisher.serve("/gdeltv2/20201114134500.export.CSV.zip", body)

    [result] = refresh_gdelt_latest(settings, client=client)

    assert (result.file.name, result.bytes) == ("20201114134500.export.CSV.zip", len(body))


def test_gdelt1_daily_export_verified_against_md5sums_and_filesizes(publisher, settings, client):
    body = gdelt_export_zip("20201114134500", member="20201114.export.CSV")
    publisher.serve("/events/md5sums", f"{md5_hex(body)}  20201114.export.CSV.zip\n".encode())
    publisher.serve("/events/filesizes", f"{len(body)} 20201114.export.CSV.zip\n".encode())
    publisher.serve("/events/20201114.export.CSV.zip", body)

    [result] = refresh_gdelt1_day(settings, date(2020, 11, 14), client=client)

    assert (result.file.name, result.status) == ("20201114.export.CSV.zip", "downloaded")
    with pytest.raises(DownloadError, match=re.escape("20201115.export.CSV.zip is not listed")):
        refresh_gdelt1_day(settings, "2020-11-15", client=client)
