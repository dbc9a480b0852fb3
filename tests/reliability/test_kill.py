"""SIGKILL a running `kzeu build` at random moments: the published warehouse never changes.

The raw folder changes before the killed builds (a real GDELT batch and a real trade file of the
snapshot are dropped in), so every killed build has real work to do (landing, suites, the
incremental CN8 roll-up, every model) and would publish different marts. Each build is
killed with its whole process group (kzeu, dbt) at a seeded random moment inside one phase of the
build: start-up (dbt parse, imports), landing and the expectation suites, dbt, and the publish
step itself. After each kill: the published file is byte-identical, opens read-only with the same
marts, and `kzeu status` exits 0. Then a build runs to completion: it succeeds, leaves no stale
temporary copy, and its marts and raw rows equal those of a clean build of the same raw files.

The seed is printed; KZEU_KILL_SEED=<seed> replays the same moments.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from kzeu_sites import (
    BUILD_TIMEOUT_S,
    add_later_files,
    clone,
    kill_group,
    mart_fingerprints,
    new_site,
    published_baseline,
    raw_fingerprints,
    relations,
    sha256,
    tail,
    wait_or_kill,
)

STEP_START = re.compile(r'Started execution of step "([^"]+)"')
# (phase, the log line that opens it (None: the process start), the longest random delay after it, s)
PHASES = [
    ("start-up: dbt parse, imports", None, (3.0, 12.0)),
    ("landing and expectation suites", 'Started execution of step "raw_', (0.0, 15.0)),
    ("dbt build", 'Started execution of step "kzeu_dbt_models"', (0.0, 22.0)),
    ("publish", 'Started execution of step "warehouse__published"', (0.0, 0.25)),
]


def kill_during(site, phase, delay: float, log: Path) -> dict:
    """Start `kzeu build -v`, wait for the phase's log line, then `delay` s, then SIGKILL the group."""
    name, anchor, _ = phase
    process = site.start("build", "-v", log=log)
    started = time.monotonic()
    anchored = started if anchor is None else None
    deadline = started + BUILD_TIMEOUT_S
    seen = b""
    with open(log, "rb") as follow:  # read as it grows: the -v log reaches megabytes during dbt
        while anchored is None:
            if process.poll() is not None:
                pytest.fail(f"kzeu build ended ({process.returncode}) before the phase {name!r}:\n{tail(log)}")
            seen = seen[-200:] + follow.read()
            if anchor.encode() in seen:
                anchored = time.monotonic()
            elif time.monotonic() > deadline:
                kill_group(process)
                pytest.fail(f"phase {name!r} not reached:\n{tail(log)}")
            else:
                time.sleep(0.01)
    time.sleep(max(0.0, anchored + delay - time.monotonic()))
    finished_first = process.poll()
    kill_group(process)
    steps = STEP_START.findall(log.read_text(errors="replace"))
    return {
        "phase": name,
        "at_s": round(time.monotonic() - started, 2),
        "delay_s": round(delay, 3),
        "last_step": steps[-1] if steps else "(none yet)",
        "pid": process.pid,
        "finished_before_kill": finished_first is not None,
    }


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_the_published_warehouse(tmp_path_factory, capsys):
    base = published_baseline(tmp_path_factory)
    site = clone(base.site, tmp_path_factory.mktemp("killed"))
    add_later_files(site)  # real new files (GDELT, trade): the killed builds have real work to do
    # A clean build of the same raw files, beside the killed ones: what the final build must equal.
    reference = new_site(tmp_path_factory.mktemp("reference"))
    reference_log = reference.root / "build.log"
    reference_build = reference.start("build", log=reference_log)

    seed = int(os.environ.get("KZEU_KILL_SEED") or random.SystemRandom().randrange(1_000_000))
    rng = random.Random(seed)
    plan = [(phase, rng.uniform(*phase[2])) for phase in PHASES]
    with capsys.disabled():
        print(
            f"\n[kill] seed {seed} (KZEU_KILL_SEED={seed} replays); baseline build {base.seconds:.0f} s; delays "
            + ", ".join(f"{phase[0]} +{delay:.2f} s" for phase, delay in plan)
        )

    published, marts = base.sha256, base.marts
    kills = []
    for number, (phase, delay) in enumerate(plan, start=1):
        kill = kill_during(site, phase, delay, site.root / f"killed_{number}.log")
        kill["stale_temporaries"] = [p.name for p in site.stale_temporaries()]
        kill["build_copy_wal"] = site.build_copy.with_name(site.build_copy.name + ".wal").exists()
        kills.append(kill)
        if sha256(site.warehouse) != published:
            # Only a kill after the publish's atomic rename may change the file: then it is the whole new build.
            assert phase[0] == "publish", f"kill #{number} ({kill}) changed the published warehouse"
            kill["published_whole_new_build"] = True
            published, marts = sha256(site.warehouse), None
        # opens read-only, same marts
        with duckdb.connect(str(site.warehouse), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM audit.load_log").fetchall()[0][0] > 0
        if marts is not None:
            assert mart_fingerprints(site.warehouse) == marts, f"kill #{number} changed the marts"
        status = site.kzeu("status")
        assert status.returncode == 0, status.stderr
        assert "Published warehouse:" in status.stdout
        kill["status_says"] = (status.stdout.strip().splitlines() or [""])[-1][:120]
        with capsys.disabled():
            print(f"[kill] #{number}: {kill}")

    # What a kill inside the publish copy leaves (`.kzeu.duckdb.<pid>.tmp`, a whole warehouse each): where
    # no kill landed there, plant it with a killed build's (dead) pid; the next build must remove them all.
    for kill in kills:
        for folder in (site.warehouse.parent, site.build_copy.parent):
            stale = folder / f".{site.warehouse.name}.{kill['pid']}.tmp"
            if not stale.exists():
                shutil.copyfile(site.warehouse, stale)
    planted = site.stale_temporaries()

    final_seconds = site.build("final_build.log")
    wait_or_kill(reference_build, BUILD_TIMEOUT_S)
    assert reference_build.returncode == 0, tail(reference_log)

    with capsys.disabled():
        print(
            f"[kill] final build {final_seconds:.0f} s; stale temporaries before it: {[p.name for p in planted]}, "
            f"after it: {[p.name for p in site.stale_temporaries()]}"
        )
    assert site.stale_temporaries() == []
    assert sha256(site.warehouse) != base.sha256  # the new file was published
    final_marts = mart_fingerprints(site.warehouse)
    assert final_marts == mart_fingerprints(reference.warehouse), "marts differ from a clean build of the same files"
    changed = {m for m in final_marts if final_marts[m] != base.marts[m]}
    assert {"fct_trade_monthly", "fct_diplomatic_event_counts_quarterly"} <= changed, changed  # both new files show
    assert relations(site.warehouse) == relations(reference.warehouse)  # nothing left over by killed dbt runs
    assert raw_fingerprints(site.warehouse) == raw_fingerprints(reference.warehouse)
    status = site.kzeu("status")
    assert status.returncode == 0 and "Published warehouse:" in status.stdout, status.stderr


# --- the temporary copies a SIGKILL leaves, and their removal --------------------------------------

COPY_THEN_HANG = """
import shutil, sys, time
from pipelines.core import warehouse
from pipelines.settings import load_settings
copy = shutil.copyfile
def copy_then_hang(source, target, *args, **kwargs):
    copy(source, target, *args, **kwargs)
    print("copied", flush=True)
    time.sleep(600)
shutil.copyfile = copy_then_hang
getattr(warehouse, sys.argv[1])(load_settings())
"""


def killed_while_copying(env: dict, step: str) -> int:
    """Run warehouse.<step> in a process, SIGKILL it once its copy is written but not yet renamed."""
    process = subprocess.Popen(
        [sys.executable, "-c", COPY_THEN_HANG, step], env=env, stdout=subprocess.PIPE, start_new_session=True, text=True
    )
    try:
        assert process.stdout.readline().strip() == "copied"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    return process.pid


def test_a_kill_mid_copy_leaves_a_temporary_that_the_next_build_removes(tmp_path, monkeypatch):
    from pipelines.core.warehouse import prepare_build, publish
    from pipelines.settings import load_settings

    published = tmp_path / "warehouse" / "kzeu.duckdb"
    published.parent.mkdir()
    with duckdb.connect(str(published)) as con:
        con.execute("CREATE TABLE t AS SELECT range AS x FROM range(100000)")
    monkeypatch.setenv("KZEU_WAREHOUSE", str(published))
    monkeypatch.setenv("KZEU_RAW_DIR", str(tmp_path / "raw"))
    settings = load_settings()
    before = sha256(published)

    # killed while creating the build copy (prepare_build), then while publishing
    copier = killed_while_copying(dict(os.environ), "prepare_build")
    assert not settings.build_warehouse.exists()
    stale_build = settings.build_warehouse.with_name(f".kzeu.duckdb.{copier}.tmp")
    assert stale_build.exists()
    settings.build_warehouse.parent.mkdir(exist_ok=True)
    shutil.copyfile(published, settings.build_warehouse)
    publisher = killed_while_copying(dict(os.environ), "publish")
    stale_published = published.with_name(f".kzeu.duckdb.{publisher}.tmp")
    assert stale_published.exists() and sha256(published) == before  # the published file untouched
    settings.build_warehouse.unlink()

    # copies of live processes are not touched: this process's, and another running one's
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        live = [
            published.with_name(f".kzeu.duckdb.{os.getpid()}.tmp"),
            settings.build_warehouse.with_name(f".kzeu.duckdb.{sleeper.pid}.tmp"),
        ]
        for path in live:
            path.write_bytes(b"a copy in progress")
        unrelated = published.with_name(".kzeu.duckdb.notes.tmp")
        unrelated.write_bytes(b"not ours")

        prepare_build(settings)  # what every step of the next build does first

        assert not stale_build.exists() and not stale_published.exists()
        assert all(path.exists() for path in live) and unrelated.exists()
        assert sha256(settings.build_warehouse) == before
    finally:
        sleeper.kill()
        sleeper.wait()
    for path in live:
        path.unlink()
    publish(settings)
    assert sorted(p.name for p in published.parent.glob(".*.tmp")) == [".kzeu.duckdb.notes.tmp"]
    assert list(settings.build_warehouse.parent.glob(".*.tmp")) == []
