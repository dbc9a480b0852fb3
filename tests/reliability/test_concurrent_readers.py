"""Readers of the published warehouse are never blocked or broken by a build that publishes.

With a published warehouse present and a real new file in the raw folder, `kzeu build` runs
while three reader processes (tests/reliability/reader_worker.py) loop: open the published file
read-only with duckdb, run mart queries, close, and now and then `kzeu query`. Two of them hold
each connection open for a while, so that a connection is open when the build renames the new
file over the old one. Asserted: not one error; every reader saw the old warehouse and the new one
(by duckdb and by `kzeu query`); each version always came with the same mart figures (no reader saw
a mix); and a connection opened before the rename kept reading the old warehouse after it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kzeu_sites import add_later_files, clone, published_baseline, tail
from reader_worker import observe_file

WORKER = Path(__file__).with_name("reader_worker.py")
# (mode, seconds a connection is held, seconds between two `kzeu query` runs)
# The last reader holds its connection almost always (10 s rounds back to back; `kzeu query` runs beside
# the reads, never between them), so that one connection is open across the publish's rename whatever
# the timing: the shorter, compacting publish made the two others miss it in one CI run, and in another
# (a loaded machine) all of them missed it while their `kzeu query` still ran between two rounds.
READERS = [("hold", 2.0, 4.0), ("hold", 1.3, 5.0), ("cycle", 0.0, 4.0), ("hold", 10.0, 30.0)]


def progress_of(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


@pytest.mark.slow
def test_readers_never_fail_while_a_build_publishes(tmp_path_factory, capsys):
    base = published_baseline(tmp_path_factory)
    site = clone(base.site, tmp_path_factory.mktemp("readers"))
    add_later_files(site)  # the build really publishes something new
    old_version, old_figures = observe_file(site.warehouse)

    stop = site.root / "stop_readers"
    progress = [site.root / f"reader_{i}.json" for i in range(len(READERS))]
    logs = [path.with_suffix(".log") for path in progress]
    readers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(site.warehouse), str(stop), str(path), mode, str(hold), str(every)],
            env=site.env(),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        for path, log, (mode, hold, every) in zip(progress, logs, READERS, strict=True)
    ]
    try:
        deadline = time.monotonic() + 120
        while not all((p := progress_of(path)) and p["kzeu_versions"] for path in progress):
            assert time.monotonic() < deadline, "readers did not start"
            assert all(r.poll() is None for r in readers), [
                tail(log) for r, log in zip(readers, logs, strict=True) if r.poll() is not None
            ]
            time.sleep(0.2)

        build_seconds = site.build("build_under_readers.log")
        new_version, new_figures = observe_file(site.warehouse)
        assert new_version != old_version and new_figures != old_figures

        # let every reader see the new warehouse, by duckdb and by `kzeu query` (bounded)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            states = [progress_of(path) for path in progress]
            if all(s and new_version in s["versions"] and new_version in s["kzeu_versions"] for s in states):
                break
            time.sleep(0.5)
    finally:
        stop.touch()
        for reader in readers:
            try:
                reader.wait(timeout=180)
            except subprocess.TimeoutExpired:
                reader.kill()
    states = [progress_of(path) for path in progress]
    with capsys.disabled():
        print(
            f"\n[readers] build under readers {build_seconds:.0f} s; "
            + "; ".join(
                f"{s['mode']}: {s['rounds']} rounds, {s['queries']} duckdb reads, {s['kzeu_runs']} kzeu query, "
                f"{len(s['errors'])} errors, read after the rename: {len(s['after_replace'])}"
                for s in states
            )
        )

    for reader, log, state in zip(readers, logs, states, strict=True):
        assert reader.returncode == 0, tail(log)
        assert state["errors"] == [], state["errors"][:5]
        assert set(state["versions"]) <= {old_version, new_version}
        assert state["versions"][old_version][0] == old_figures and state["versions"][new_version][0] == new_figures
        assert set(state["kzeu_versions"]) == {old_version, new_version}
    # the publish happened under open connections, which kept reading the file they opened
    after_replace = [v for s in states for v in s["after_replace"]]
    assert after_replace and set(after_replace) == {old_version}


# --- a reader of the build copy must not fail the build -------------------------------------------
# `kzeu status` opens the build copy read-only to report a rejected load. DuckDB's writer does not
# wait for a lock: before the fix, a status at the instant a build step opened the build copy failed
# that step ("Could not set lock on file .../.build/kzeu.duckdb"); seen with a reader every 0.2 s.

GLANCING_READER = """
import sys, time, duckdb
path, until = sys.argv[1], time.monotonic() + float(sys.argv[2])
print("reading", flush=True)
while time.monotonic() < until:
    try:
        with duckdb.connect(path, read_only=True) as con:  # as cli._report_failed_build does
            con.execute("SELECT count(*) FROM audit.load_log WHERE status = 'rejected'").fetchall()
            time.sleep(0.03)
    except duckdb.Error:
        pass  # the writer has it: try again
    time.sleep(0.005)
"""


def test_build_steps_wait_for_a_reader_of_the_build_copy(tmp_path, monkeypatch):
    from pipelines.core.warehouse import build_connection
    from pipelines.settings import load_settings

    monkeypatch.setenv("KZEU_WAREHOUSE", str(tmp_path / "warehouse" / "kzeu.duckdb"))
    monkeypatch.setenv("KZEU_RAW_DIR", str(tmp_path / "raw"))
    settings = load_settings()
    with build_connection(settings) as con:
        con.execute("CREATE SCHEMA audit; CREATE TABLE audit.load_log (status VARCHAR, n INTEGER)")
    reader = subprocess.Popen(
        [sys.executable, "-c", GLANCING_READER, str(settings.build_warehouse), "8"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "reading"
        for n in range(40):  # 40 step-like opens while a reader glances at the file ~85 % of the time
            with build_connection(settings) as con:
                con.execute("INSERT INTO audit.load_log VALUES ('loaded', ?)", [n])
    finally:
        reader.kill()
        reader.wait()
    with build_connection(settings) as con:
        assert con.execute("SELECT count(*) FROM audit.load_log").fetchall() == [(40,)]


def test_a_second_writer_still_fails_the_open(tmp_path):
    """The wait is bounded: a file held by another writer (a second build) is refused as before."""
    import duckdb

    from pipelines.core.warehouse import connect_for_writing

    path = tmp_path / "kzeu.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(duckdb.IOException, match="Could not set lock"):
            connect_for_writing(path, wait_s=1.0)
        assert 0.9 < time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
