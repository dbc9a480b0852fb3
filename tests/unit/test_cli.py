"""kzeu: answers on the published warehouse, and one-line reasons with a non-zero exit."""

import re

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


# What a page may fetch from elsewhere: a script, stylesheet, image or frame with an http(s) address.
EXTERNAL_RESOURCE = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
)


def test_docs_writes_a_self_contained_catalogue_and_prints_its_path(published, capsys):
    assert main(["docs"]) == 0
    site = published.warehouse.parent / "dbt-docs" / "static_index.html"
    assert capsys.readouterr().out.strip() == str(site)
    html = site.read_text(encoding="utf-8")
    assert '"unique_id": "model.kzeu.fct_trade_monthly"' in html  # the manifest is inside the page
    assert not EXTERNAL_RESOURCE.findall(html)  # every script and style inline: nothing to fetch
    # dbt's page loads its usage tracker (a CDN script) only when the project sends usage statistics
    assert '"send_anonymous_usage_stats": false' in html


def test_docs_without_a_warehouse(settings_env, capsys):
    assert main(["docs"]) == 1
    assert "no published warehouse" in one_line_error(capsys)


def test_ui_starts_dg_dev_so_that_the_code_location_is_named_kzeu():
    import tomllib

    from pipelines.cli import ui_command
    from pipelines.settings import REPO_ROOT

    command = ui_command(REPO_ROOT / ".venv" / "bin", "127.0.0.1", 3000)
    assert command[0].endswith("/dg") and command[1] == "dev" and "--use-active-venv" in command
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["dg"]["project"]
    assert project["code_location_name"] == "kzeu"
    assert project["code_location_target_module"] == "pipelines.definitions"


class _Result:
    def __init__(self, success):
        self.success = success


class _Job:
    name = "download_gdelt_day"

    def __init__(self, outcomes):
        self.outcomes, self.tags = list(outcomes), []

    def execute_in_process(self, **kwargs):
        self.tags.append(kwargs["tags"])
        return _Result(self.outcomes.pop(0))


def test_refresh_by_hand_says_each_try_and_when_the_next_one_is(monkeypatch, capsys):
    import pipelines.cli as cli

    slept = []
    monkeypatch.setattr(cli, "_first_failure", lambda result: "step x failed: http://h/f: connection refused")
    monkeypatch.setattr(cli.time, "sleep", slept.append)
    job = _Job([False, True])
    cli.run_download(job, None, "2020-11-15", retries=2, wait_s=30)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "download_gdelt_day 2020-11-15: downloading (try 1 of 3)"
    assert re.fullmatch(
        r"download_gdelt_day 2020-11-15: step x failed: http://h/f: connection refused; "
        r"next try \(2 of 3\) at \d\d:\d\d:\d\d, in 30 s",
        out[1],
    )
    assert out[2:] == ["download_gdelt_day 2020-11-15: downloading (try 2 of 3)", "download_gdelt_day 2020-11-15: done"]
    assert slept == [30]
    assert job.tags == [{"kzeu/step_retries": "0"}] * 2  # the runs themselves retry nothing


def test_refresh_by_hand_fails_after_the_last_try(monkeypatch):
    import pipelines.cli as cli

    monkeypatch.setattr(cli, "_first_failure", lambda result: "step x failed: boom")
    monkeypatch.setattr(cli.time, "sleep", lambda s: None)
    with pytest.raises(cli.CommandError, match=r"after 2 tries: step x failed: boom \(nothing was built"):
        cli.run_download(_Job([False, False]), None, "2020-11-15", retries=1, wait_s=1)
    with pytest.raises(cli.CommandError, match=r"2020-11-15: step x failed"):  # default: one try
        cli.run_download(_Job([False]), None, "2020-11-15", retries=0, wait_s=1)


@pytest.mark.parametrize("interrupt", ["KeyboardInterrupt", "DagsterExecutionInterruptedError"])
def test_ctrl_c_stops_with_one_line_and_exit_130(monkeypatch, capsys, interrupt):
    import dagster as dg

    import pipelines.cli as cli

    error = KeyboardInterrupt() if interrupt == "KeyboardInterrupt" else dg.DagsterExecutionInterruptedError()

    def interrupted(args):
        raise error

    monkeypatch.setattr(cli, "cmd_refresh", interrupted)
    assert main(["refresh", "--no-build"]) == 130
    assert one_line_error(capsys) == (
        "kzeu refresh: interrupted (Ctrl-C); files already downloaded stay in raw/; "
        "the published warehouse was left as it was"
    )


def test_progress_logger_prints_a_line_per_step():
    import dagster as dg

    from pipelines.progress import LOGGERS, progress_run_config, progress_to

    @dg.op
    def land(context):
        context.log.info("trade.csv: loaded, 3 of 3 rows kept")

    @dg.job(logger_defs=LOGGERS)
    def tiny():
        land()

    import io

    stream = io.StringIO()
    with progress_to(stream):
        assert tiny.execute_in_process(run_config=progress_run_config(quiet=False)).success
    lines = [re.sub(r"^\[ *[\d.]+ s\]", "[t]", line) for line in stream.getvalue().splitlines()]
    assert lines == ["[t] land ...", "[t]   trade.csv: loaded, 3 of 3 rows kept", "[t] land done"]
    quiet = io.StringIO()
    with progress_to(quiet):
        assert tiny.execute_in_process(run_config=progress_run_config(quiet=True)).success
    assert quiet.getvalue() == ""
