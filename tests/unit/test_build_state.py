"""The skip logic of a no-op build (pipelines/core/build_state.py) and the compacting publish.

Whatever a build depends on must change a fingerprint: a raw file (added, changed, touched,
removed), a model's SQL, a seed, a macro, the project's Python, a library version, the partner
setting. And a warehouse whose free blocks pile up is published at its live size.
"""

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, write
from fixtures_trade import BULK_ROWS_18, bulk_18, relational
from pipelines.core import build_state
from pipelines.core.build_state import (
    PUBLISHED,
    code_version,
    dbt_fingerprint,
    dbt_source_files,
    files_digest,
    nothing_to_build,
    record,
    suite_fingerprint,
)
from pipelines.core.landing import land_folder
from pipelines.core.warehouse import compact, publish
from pipelines.domains.trade.readers import read_trade_file
from pipelines.domains.trade.schema import TRADE_FLOWS
from pipelines.settings import load_settings

FOLDERS = ("trade",)


def land(con, raw_dir):
    return land_folder(con, raw_dir, "trade", TRADE_FLOWS, lambda c, path: read_trade_file(c, path, ("AD", "KZ")))


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A raw folder of two trade files, landed into a build copy and published with its record."""
    raw = tmp_path / "raw"
    write(raw / "trade" / "full_202402.dat", bulk_18())
    write(raw / "trade" / "relational.csv", relational())
    monkeypatch.setenv("KZEU_RAW_DIR", str(raw))
    monkeypatch.setenv("KZEU_WAREHOUSE", str(tmp_path / "warehouse" / "kzeu.duckdb"))
    settings = load_settings()
    settings.build_warehouse.parent.mkdir(parents=True)
    with duckdb.connect(str(settings.build_warehouse)) as con:
        land(con, raw)
        record(con, PUBLISHED, dbt_fingerprint(con, code_version(settings)), code_version(settings))
    publish(settings)
    return settings


def test_nothing_to_build_when_the_raw_files_and_the_code_are_those_published(site):
    assert "2 raw files" in nothing_to_build(site, FOLDERS)


def test_a_changed_added_touched_or_removed_raw_file_means_build(site):
    data = site.raw_dir / "trade" / "full_202402.dat"
    write(data, bulk_18(BULK_ROWS_18[:2]))  # changed
    assert nothing_to_build(site, FOLDERS) is None
    shutil.copy2(site.raw_dir / "trade" / "relational.csv", site.raw_dir / "trade" / "copy.csv")
    assert nothing_to_build(site, FOLDERS) is None


@pytest.mark.parametrize("change", ["touched", "added", "removed"])
def test_every_change_of_the_folder_is_seen(site, change):
    path = site.raw_dir / "trade" / "relational.csv"
    if change == "touched":  # same bytes, a new mtime: landing compares size and mtime first
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    elif change == "added":
        write(site.raw_dir / "trade" / "more.csv", relational())
    else:
        path.unlink()
    assert nothing_to_build(site, FOLDERS) is None


def test_another_code_version_means_build(site, monkeypatch):
    monkeypatch.setattr(build_state, "code_version", lambda settings: "another version")
    assert nothing_to_build(site, FOLDERS) is None


def test_no_published_warehouse_or_no_record_means_build(site):
    with duckdb.connect(str(site.warehouse)) as con:
        con.execute("DELETE FROM audit.build_state")
    assert nothing_to_build(site, FOLDERS) is None
    site.warehouse.unlink()
    assert nothing_to_build(site, FOLDERS) is None


def test_a_rejected_last_load_in_the_build_copy_means_build(site):
    with duckdb.connect(str(site.build_warehouse)) as con:
        con.execute(
            "INSERT INTO audit.load_log (file, status, loaded_at) "
            "VALUES ('trade/bad.csv', 'rejected', now()::TIMESTAMP)"
        )
    assert nothing_to_build(site, FOLDERS) is None


def test_a_build_copy_held_by_a_writer_means_build(site):
    with duckdb.connect(str(site.build_warehouse)):  # held in this process, read-write
        assert nothing_to_build(site, FOLDERS) is None


def test_the_code_version_covers_models_seeds_macros_pipelines_and_settings(monkeypatch):
    files = {str(p.relative_to(REPO)) for p in build_state.code_files()}
    assert "dbt_project/models/marts/trade/fct_trade_monthly.sql" in files
    assert "dbt_project/seeds/eu27_member_states.csv" in files
    assert "dbt_project/macros/exact_sum.sql" in files
    assert "dbt_project/dbt_project.yml" in files
    assert "pipelines/core/landing.py" in files
    assert "pipelines/domains/energy/reference/dg_ener_origins.csv" in files
    assert not any("/target/" in f or "__pycache__" in f for f in files)
    settings = load_settings()
    monkeypatch.setenv("KZEU_TRADE_PARTNERS", "KZ")
    assert code_version(load_settings()) != code_version(settings)
    monkeypatch.setattr(build_state, "library_versions", lambda: ["dbt-core==99"])
    assert code_version(load_settings()) != code_version(settings)


@pytest.mark.parametrize("path", ["models/marts/x/fct_x.sql", "seeds/codes.csv", "macros/m.sql", "tests/t.sql"])
def test_a_changed_model_seed_macro_or_test_changes_the_dbt_digest(tmp_path, path):
    project = tmp_path / "dbt_project"
    write(project / "dbt_project.yml", "name: x\n")
    write(project / path, "select 1\n")
    before = files_digest(dbt_source_files(project), tmp_path)
    write(project / path, "select 2\n")
    assert files_digest(dbt_source_files(project), tmp_path) != before
    write(project / "target" / "manifest.json", "{}")  # dbt's output is not a source
    write(project / path, "select 1\n")
    assert files_digest(dbt_source_files(project), tmp_path) == before


def test_suite_and_dbt_fingerprints_follow_the_raw_tables(tmp_path):
    raw = tmp_path / "raw"
    write(raw / "trade" / "full_202402.dat", bulk_18())
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    land(con, raw)
    today = __import__("datetime").date(2026, 12, 3)
    suite = suite_fingerprint(con, "raw.trade_flows", "s", "code", today)
    dbt = dbt_fingerprint(con, "code")
    assert suite == suite_fingerprint(con, "raw.trade_flows", "s", "code", today)
    assert suite != suite_fingerprint(con, "raw.trade_flows", "s", "other code", today)
    assert suite != suite_fingerprint(con, "raw.trade_flows", "s", "code", today.replace(day=4))  # today's rules
    assert dbt != dbt_fingerprint(con, "other code")
    write(raw / "trade" / "full_202402.dat", bulk_18(BULK_ROWS_18[:2]))
    land(con, raw)
    assert suite_fingerprint(con, "raw.trade_flows", "s", "code", today) != suite
    assert dbt_fingerprint(con, "code") != dbt


def test_compact_gives_back_the_free_blocks_and_keeps_everything(tmp_path):
    path = tmp_path / "kzeu.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.keep (k INTEGER PRIMARY KEY, v VARCHAR NOT NULL)")
        con.execute("INSERT INTO marts.keep SELECT range, 'v' || range FROM range(50000)")
        con.execute("CREATE VIEW marts.keep_view AS SELECT k * 2 AS k2 FROM marts.keep")
        for _ in range(4):  # what dbt does on every run: drop and recreate
            con.execute("CREATE OR REPLACE TABLE marts.churn AS SELECT range AS x, random() AS y FROM range(300000)")
            con.execute("CHECKPOINT")
    grown = path.stat().st_size
    assert compact(path) > 0.25  # the share of free blocks given back
    assert path.stat().st_size < grown * 0.75
    assert not list(tmp_path.glob(".*.tmp*"))
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*), sum(k) FROM marts.keep").fetchall() == [(50000, sum(range(50000)))]
        assert con.execute("SELECT max(k2) FROM marts.keep_view").fetchall() == [(99998,)]
        assert con.execute("SELECT count(*) FROM marts.churn").fetchall() == [(300000,)]
        constraints = {r[0] for r in con.execute("SELECT constraint_type FROM duckdb_constraints()").fetchall()}
        assert {"PRIMARY KEY", "NOT NULL"} <= constraints


def test_a_file_with_few_free_blocks_is_published_as_it_is(tmp_path):
    """Rewriting costs seconds per 100 MiB: a file that would give back 4% or less is left untouched."""
    path = tmp_path / "kzeu.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE big AS SELECT range AS x, hash(range) AS y FROM range(2000000)")
        con.execute("CREATE TABLE small AS SELECT range AS x FROM range(1000)")
        con.execute("CHECKPOINT")
        con.execute("CREATE OR REPLACE TABLE small AS SELECT range AS x FROM range(2000)")  # a few blocks freed
    before = path.stat()
    assert compact(path) is None
    after = path.stat()
    assert (after.st_ino, after.st_size) == (before.st_ino, before.st_size)  # not rewritten
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM small").fetchall() == [(2000,)]


def test_a_compacting_publish_keeps_a_stable_size(tmp_path, monkeypatch):
    monkeypatch.setenv("KZEU_WAREHOUSE", str(tmp_path / "warehouse" / "kzeu.duckdb"))
    settings = load_settings()
    settings.build_warehouse.parent.mkdir(parents=True)
    sizes = []
    for _ in range(4):
        with duckdb.connect(str(settings.build_warehouse)) as con:
            con.execute("CREATE OR REPLACE TABLE t AS SELECT range AS x, hash(range) AS y FROM range(600000)")
        publish(settings)
        sizes.append(settings.warehouse.stat().st_size)
    assert max(sizes) <= sizes[0] * 1.05, sizes
    assert Path(settings.build_warehouse).stat().st_size <= sizes[0] * 1.05  # the build copy starts compact


def test_the_dbt_nodes_downstream_of_a_raw_table_are_dbts_own_selection(dbt_manifest, tmp_path):
    """downstream_of + excluded_from_build with --indirect-selection buildable select what
    `dbt ls --select source:<changed>+` selects (models, seeds, tests, unit tests)."""
    import json
    import subprocess

    from pipelines.assets.dbt import dbt_sources_of
    from pipelines.core.build_state import downstream_of, excluded_from_build
    from pipelines.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR

    manifest = json.loads(dbt_manifest.read_text())

    def listed(*selection: str) -> set[str]:
        done = subprocess.run(
            [
                *(DBT_EXECUTABLE, "ls", "--quiet", "--output", "json", "--output-keys", "unique_id", *selection),
                *("--resource-type", "model", "seed", "snapshot", "test", "unit_test"),
                *("--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)),
                *("--target-path", str(tmp_path), "--log-path", str(tmp_path)),
                *("--vars", '{"build_warehouse": "unused.duckdb"}'),
            ],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return {json.loads(line)["unique_id"] for line in done.stdout.splitlines() if line.startswith("{")}

    changed = {"raw.trade_flows", "raw.energy_imports"}
    sources = dbt_sources_of(manifest, changed)
    assert len(sources) == 2
    built = downstream_of(manifest, sources)
    excluded = excluded_from_build(manifest, built)
    expected = listed("--select", " ".join(f"source:{s.removeprefix('source.')}+" for s in sources))
    got = listed("--exclude", " ".join(excluded), "--indirect-selection", "buildable", "--select", "fqn:*")
    assert got == expected and "model.kzeu.fct_trade_monthly" in got and "model.kzeu.fct_fdi_kz_annual" not in got
