"""kzeu: answers on the published warehouse, and one-line reasons with a non-zero exit."""

import duckdb
import pytest

from conftest import write
from fixtures_trade import relational
from pipelines.cli import main


@pytest.fixture
def published(settings_env):
    settings_env.warehouse.parent.mkdir(parents=True)
    with duckdb.connect(str(settings_env.warehouse)) as con:
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT 2021 AS year, 17548077348.0 AS imports_eur")
        con.execute(
            "CREATE SCHEMA audit; CREATE TABLE audit.load_log "
            "(file VARCHAR, status VARCHAR, rows_kept BIGINT, sha256 VARCHAR, loaded_at TIMESTAMP)"
        )
        con.execute(
            "CREATE TABLE audit.validation_results (suite VARCHAR, table_name VARCHAR, success BOOLEAN, "
            "evaluated INTEGER, failed INTEGER, run_at TIMESTAMP)"
        )
    return settings_env


def one_line_error(capsys):
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def test_query_prints_a_table_and_csv(published, capsys):
    assert main(["query", "SELECT * FROM marts.t"]) == 0
    assert "17548077348" in capsys.readouterr().out
    assert main(["query", "--csv", "SELECT year FROM marts.t"]) == 0
    assert capsys.readouterr().out.splitlines() == ["year", "2021"]


def test_query_error_is_one_line(published, capsys):
    assert main(["query", "SELECT * FROM marts.nowhere"]) == 1
    assert one_line_error(capsys).startswith("kzeu query: Catalog Error")


def test_query_is_read_only(published, capsys):
    assert main(["query", "DROP TABLE marts.t"]) == 1
    assert "read-only" in one_line_error(capsys)


def test_status_without_a_warehouse(settings_env, capsys):
    assert main(["status"]) == 1
    assert "no published warehouse" in one_line_error(capsys)


def test_status_on_a_warehouse(published, capsys):
    assert main(["status"]) == 0
    assert str(published.warehouse) in capsys.readouterr().out


def test_refresh_downloads_a_gdelt_day_from_the_configured_publisher(settings_env, monkeypatch, capsys, dbt_manifest):
    from http_fixtures import GDELT_BATCHES, PublisherServer, gdelt_export_zip, masterfilelist

    server = PublisherServer()
    try:
        exports = {batch: gdelt_export_zip(batch) for batch in GDELT_BATCHES}
        server.serve("/gdeltv2/masterfilelist.txt", masterfilelist(server.url, exports))
        for batch, body in exports.items():
            server.serve(f"/gdeltv2/{batch}.export.CSV.zip", body)
        monkeypatch.setenv("KZEU_GDELT_URL", server.url)
        assert main(["refresh", "--source", "gdelt", "--days", "2020-11-15", "--no-build"]) == 0
        assert "download_gdelt_day 2020-11-15: done" in capsys.readouterr().out
        landed = sorted(p.name for p in (settings_env.raw_dir / "gdelt").glob("*.zip"))
        assert landed == ["20201115081500.export.CSV.zip", "20201115083000.export.CSV.zip"]
        # a day the publisher does not list: one line, exit 1, nothing built
        assert main(["refresh", "--source", "gdelt", "--days", "2020-11-16", "--no-build"]) == 1
        error = one_line_error(capsys)
        assert "no event export listed for 2020-11-16" in error and "nothing was built" in error
    finally:
        server.stop()


def test_refresh_refuses_a_bad_period(settings_env, capsys):
    assert main(["refresh", "--months", "2024-13"]) == 1
    assert "--months" in one_line_error(capsys)


@pytest.mark.slow
def test_build_with_a_bad_file_exits_non_zero_and_names_it(settings_env, capsys):
    write(
        settings_env.raw_dir / "trade" / "generated_bad.csv",
        relational(["Austria,Narnia,Total,EXPORT,Total,Jan.-Dec. 2018,5"]),
    )
    assert main(["build"]) == 1
    error = one_line_error(capsys)
    assert "generated_bad.csv, row 2, column PARTNER: unknown partner label: 'Narnia'" in error
    assert "published warehouse was left as it was" in error
    assert not settings_env.warehouse.exists()


def test_ui_binds_loopback_unless_told_otherwise(monkeypatch):
    import pipelines.cli as cli

    started = []
    monkeypatch.setattr(cli, "parse_dbt_project", lambda: None)
    monkeypatch.setattr(cli.os, "execv", lambda path, command: started.append(command))
    monkeypatch.setattr(cli.os, "chdir", lambda path: None)
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)
    assert main(["ui"]) == 0
    assert main(["ui", "--host", "0.0.0.0", "--port", "3001"]) == 0
    first, second = started
    assert first[first.index("--host") + 1] == "127.0.0.1"
    assert second[second.index("--host") + 1] == "0.0.0.0" and second[second.index("--port") + 1] == "3001"
