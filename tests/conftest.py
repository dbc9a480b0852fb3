"""Shared fixtures: the real data folder, temporary settings, and small publisher-format files."""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("KZEU_SHARED_DATA", REPO.parent / "shared" / "data"))

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
# Tests write only to temporary folders: dbt's target and logs too (set before pipelines import).
_DBT_TMP = tempfile.mkdtemp(prefix="kzeu-dbt-")
os.environ["DBT_TARGET_PATH"] = _DBT_TMP
os.environ["DBT_LOG_PATH"] = _DBT_TMP
os.environ["DAGSTER_HOME"] = tempfile.mkdtemp(prefix="kzeu-dagster-home-")
# As the kzeu command does at start: telemetry off (dagster.yaml in the temporary DAGSTER_HOME).
from pipelines.settings import quiet_environment  # noqa: E402

quiet_environment()


def shared_file(*parts: str) -> Path:
    """A file of ../shared/data, or a clean skip where that folder is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} (../shared/data is absent on this machine)")
    return path


def write(path: Path, text: str, compress: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture
def settings_env(tmp_path, monkeypatch):
    """Point the project at a temporary raw folder, warehouse and DAGSTER_HOME."""
    raw = tmp_path / "raw"
    (raw / "trade").mkdir(parents=True)
    monkeypatch.setenv("KZEU_RAW_DIR", str(raw))
    monkeypatch.setenv("KZEU_WAREHOUSE", str(tmp_path / "warehouse" / "kzeu.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    quiet_environment()
    from pipelines.settings import load_settings

    return load_settings()


@pytest.fixture(scope="session")
def dbt_manifest():
    """dbt's manifest, which the Dagster definitions read at import (toolchain.md)."""
    from pipelines.cli import parse_dbt_project

    parse_dbt_project()
    return Path(_DBT_TMP) / "manifest.json"


from pipelines.domains import raw_folders  # noqa: E402

DOMAINS = raw_folders()


def copy_snapshot(raw_dir: Path, leave_out: tuple[str, ...] = ()) -> None:
    """The embedded raw snapshot of every domain, minus the files named in leave_out."""
    for domain in DOMAINS:
        (raw_dir / domain).mkdir(parents=True, exist_ok=True)
        for path in (REPO / "raw" / domain).iterdir():
            if path.is_file() and path.name not in leave_out:
                shutil.copy2(path, raw_dir / domain / path.name)


@pytest.fixture(scope="session")
def build_run(tmp_path_factory, dbt_manifest):
    """One whole-graph build from the embedded snapshot into a temporary warehouse, shared by
    the integration tests. One GDELT file is left out: a test drops it in later."""
    from warehouse_build import GDELT_FILE_DROPPED_LATER, rebuild

    root = tmp_path_factory.mktemp("build")
    copy_snapshot(root / "raw", leave_out=(GDELT_FILE_DROPPED_LATER,))
    result = rebuild(root)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return root, result


@pytest.fixture(scope="session")
def built(build_run):
    return build_run[0]


def pytest_configure(config):
    config.addinivalue_line("markers", "reliability: kill, concurrency and bad-input corpus tests (minutes)")


def pytest_collection_modifyitems(items):
    """`make test-fast` leaves out what needs a whole-graph build or the reliability harness: marked here,
    by folder and by fixture, so that a new test cannot forget its mark."""
    for item in items:
        path = str(item.path).replace("\\", "/")
        fixtures = set(getattr(item, "fixturenames", ()))
        if "tests/reliability/" in path:
            item.add_marker(pytest.mark.reliability)
        if {"built", "build_run"} & fixtures:
            item.add_marker(pytest.mark.slow)
            # `make test` runs on two workers (--dist loadgroup): the tests of one shared build on one worker,
            # so that the build is made once, not once per worker
            item.add_marker(pytest.mark.xdist_group("shared_build"))
        elif path.endswith(("tests/reliability/test_kill.py", "tests/reliability/test_concurrent_readers.py")):
            item.add_marker(pytest.mark.xdist_group("published_baseline"))  # the same: kzeu_sites.published_baseline
