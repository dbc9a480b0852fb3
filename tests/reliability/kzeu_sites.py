"""Helpers of the reliability tests: whole `kzeu` processes over temporary warehouses.

A Site is one raw folder + warehouse + DAGSTER_HOME + dbt target, all in a temporary folder;
`kzeu` runs there as a subprocess, exactly as a user runs it. The published baseline (the
embedded snapshot minus one GDELT file, built once per session) is shared by the kill and
concurrent-reader tests, each working on its own copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from conftest import REPO, copy_snapshot
from warehouse_build import GDELT_FILE_DROPPED_LATER

KZEU = Path(sys.executable).parent / "kzeu"
BUILD_TIMEOUT_S = 420
# Real files of the snapshot that the baseline leaves out. Dropped in later, the next build has real
# work to do: it lands them, validates them, rebuilds every model (the trade file goes through the
# incremental roll-up, int_trade_flows_aggregated) and publishes different marts. Not the EU's exports
# to Kazakhstan since 2019: without them the event study's EPCA-2020 window is too short, and the build
# rightly fails.
ADDED_LATER = (
    ("gdelt", GDELT_FILE_DROPPED_LATER),
    ("trade", "comext_ds045409_7partners_by_member_state_monthly_2020-2022.sdmx.csv.gz"),
)


@dataclass(frozen=True)
class Site:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "kzeu.duckdb"

    @property
    def build_copy(self) -> Path:
        return self.warehouse.parent / ".build" / self.warehouse.name

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KZEU_")}  # nothing of the test process's own
        env.update(
            KZEU_RAW_DIR=str(self.raw),
            KZEU_WAREHOUSE=str(self.warehouse),
            DAGSTER_HOME=str(self.root / "dagster_home"),
            DBT_TARGET_PATH=str(self.root / "dbt"),
            DBT_LOG_PATH=str(self.root / "dbt"),
            DO_NOT_TRACK="1",
            GX_ANALYTICS_ENABLED="False",
            PYTHONUNBUFFERED="1",
        )
        return env

    def kzeu(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([str(KZEU), *args], env=self.env(), capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str, log: Path) -> subprocess.Popen:
        """`kzeu ...` in its own session (process group = its pid), output to `log`."""
        with open(log, "wb") as out:
            return subprocess.Popen(
                [str(KZEU), *args], env=self.env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def build(self, log_name: str = "build.log") -> float:
        """A whole `kzeu build`, which must succeed; returns its duration in seconds."""
        log = self.root / log_name
        started = time.monotonic()
        process = self.start("build", log=log)
        wait_or_kill(process, BUILD_TIMEOUT_S)
        assert process.returncode == 0, f"kzeu build failed ({process.returncode}):\n{tail(log)}"
        return time.monotonic() - started

    def stale_temporaries(self) -> list[Path]:
        """Temporary copies (`.kzeu.duckdb.<pid>.tmp`) beside the published file and the build copy."""
        return sorted(
            [
                *self.warehouse.parent.glob(f".{self.warehouse.name}.*.tmp"),
                *self.build_copy.parent.glob(f".{self.warehouse.name}.*.tmp"),
            ]
        )


def new_site(root: Path, leave_out: tuple[str, ...] = ()) -> Site:
    site = Site(root)
    copy_snapshot(site.raw, leave_out=leave_out)
    return site


def add_later_files(site: Site) -> None:
    """Drop the files the baseline left out into the site's raw folder."""
    for domain, name in ADDED_LATER:
        shutil.copy2(REPO / "raw" / domain / name, site.raw / domain / name)


def clone(site: Site, root: Path) -> Site:
    """A copy of a built site: raw files (mtimes kept: nothing looks changed), published file and build copy."""
    copy = Site(root)
    shutil.copytree(site.raw, copy.raw)
    shutil.copytree(site.warehouse.parent, copy.warehouse.parent)
    return copy


def wait_or_kill(process: subprocess.Popen, timeout: float) -> None:
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        raise


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the whole process group (kzeu, dbt and anything else it started) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while live_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not live_members(process.pid), f"processes of group {process.pid} survived SIGKILL"


def live_members(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies do not count)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) ": state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fingerprint(con, relation: str) -> tuple[int, str]:
    """(rows, md5 of every row as text, in order): equal only for the same content."""
    return tuple(
        con.execute(
            f"SELECT count(*), md5(coalesce(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY CAST(t AS VARCHAR)), '')) "
            f"FROM {relation} AS t"
        ).fetchall()[0]
    )


def mart_fingerprints(path: Path) -> dict[str, tuple[int, str]]:
    with duckdb.connect(str(path), read_only=True) as con:
        marts = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1"
            ).fetchall()
        ]
        return {m: _fingerprint(con, f"marts.{m}") for m in marts}


def raw_fingerprints(path: Path) -> dict[str, tuple[int, str]]:
    """The raw tables without their load time (which differs between two builds of the same files)."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' ORDER BY 1"
            ).fetchall()
        ]
        return {t: _fingerprint(con, f"(SELECT * EXCLUDE (_loaded_at) FROM raw.{t})") for t in tables}


def relations(path: Path) -> list[tuple[str, str, str]]:
    """Every table and view but the audit trail: a killed dbt run must leave nothing behind (no __dbt_tmp)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "SELECT table_schema, table_name, table_type FROM information_schema.tables "
            "WHERE table_schema <> 'audit' ORDER BY ALL"
        ).fetchall()


def latest_load(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return str(con.execute("SELECT max(loaded_at) FROM audit.load_log").fetchall()[0][0])


@dataclass(frozen=True)
class Baseline:
    site: Site
    seconds: float  # how long its `kzeu build` took
    sha256: str
    marts: dict


_SHARED: dict[str, Baseline] = {}


def published_baseline(tmp_path_factory) -> Baseline:
    """The snapshot minus ADDED_LATER, built and published once per session by `kzeu build`."""
    if "baseline" not in _SHARED:
        site = new_site(tmp_path_factory.mktemp("baseline"), leave_out=tuple(name for _, name in ADDED_LATER))
        seconds = site.build()
        _SHARED["baseline"] = Baseline(site, seconds, sha256(site.warehouse), mart_fingerprints(site.warehouse))
    return _SHARED["baseline"]
