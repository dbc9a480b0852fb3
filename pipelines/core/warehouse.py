"""The one place that opens the warehouse: a build copy for the writer, the published file for readers.

Write-audit-publish: every asset writes to the build copy (settings.build_warehouse); the
publish step compacts it where more than 4% of its blocks are free (`compact`: the free blocks
of dropped tables would otherwise be published and accumulate), copies it beside the published
file and renames it over in one atomic step, only after the raw suites and the dbt tests passed.
Readers open the published file read-only; a running or killed build never touches it.

A build killed while copying (SIGKILL skips every `finally`) leaves its temporary copy,
`.kzeu.duckdb.<pid>.tmp`, beside the published file or in `.build/`: each is a whole warehouse.
The next build removes those of processes that are gone (never one a live process is writing).

DuckDB locks a file for its writer: any reader holding it, even read-only for a moment (`kzeu
status` looks into the build copy for a rejected load), makes a writer's open fail at once. The
build's own opens wait for such a reader (up to LOCK_WAIT_S) instead of failing the step.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.core.sql import quoted, sql_string
from pipelines.settings import Settings


@contextmanager
def build_connection(settings: Settings):
    """Read-write connection to the build copy, created from the published warehouse if absent."""
    with connect_for_writing(prepare_build(settings)) as con:
        yield con


def prepare_build(settings: Settings) -> Path:
    build = settings.build_warehouse
    build.parent.mkdir(parents=True, exist_ok=True)
    for target in (settings.warehouse, build):
        remove_stale_temporaries(target)
    if not build.exists() and settings.warehouse.exists():
        _copy_atomically(settings.warehouse, build)
    return build


LOCK_WAIT_S = 30.0  # a reader holds the build copy for milliseconds; another build holds it for minutes


def connect_for_writing(path: Path, wait_s: float | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection, waiting (up to LOCK_WAIT_S) while another process holds the file's lock.

    DuckDB does not wait for a lock: a read-only reader of the build copy at the instant a step
    opens it would fail the whole build. Past `wait_s` the lock is not a reader's glance but
    another writer (a second build): DuckDB's error is raised as it is.
    """
    deadline = time.monotonic() + (LOCK_WAIT_S if wait_s is None else wait_s)
    pause = 0.01
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as exc:
            left = deadline - time.monotonic()
            if "Could not set lock" not in str(exc) or left <= 0:
                raise
        time.sleep(min(pause, left))  # the whole wait is given, never cut short by a pause
        pause = min(pause * 2, 0.25)


@contextmanager
def read_connection(settings: Settings, path: Path | None = None):
    """Read-only connection to the published warehouse (or another file, e.g. the build copy)."""
    target = path or settings.warehouse
    if not target.exists():
        raise FileNotFoundError(f"no warehouse at {target}: run `make run` (or `kzeu build`) first")
    with duckdb.connect(str(target), read_only=True) as con:
        yield con


def publish(settings: Settings) -> float | None:
    """Atomically replace the published warehouse by the build copy, compacted first where worth it.
    Returns the share of free blocks the compaction gave back, None when the file was published as it was."""
    build = settings.build_warehouse
    given_back = compact(build)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    _copy_atomically(build, settings.warehouse)
    return given_back


# Rewriting a file costs about 3 s per 100 MiB here (15.8 s for 506 MiB, a warehouse with one whole
# Comext month): with years of whole months it would dominate a new month's build, which frees only
# the blocks of the few tables it rebuilt. Up to this share of free blocks the file is published as
# it is (DuckDB reuses them), so a published file is never more than 1 / (1 - share) its live size.
COMPACT_ABOVE_FREE_SHARE = 0.04


def compact(path: Path, above_free_share: float = COMPACT_ABOVE_FREE_SHARE) -> float | None:
    """Rewrite a DuckDB file without its free blocks, atomically, when more than `above_free_share` of
    its blocks are free: same tables, views, constraints and rows. Returns the share given back, or
    None when the file was left as it was.

    DuckDB reuses the blocks a dropped table frees, but never gives them back to the file system:
    every dbt run drops and recreates its tables, so the build copy (and each published copy of it)
    grew by about half its size a build. `COPY FROM DATABASE` into a new file writes only what is
    live (about 1 s for 30 MB; VACUUM and CHECKPOINT do not shrink the file). The copy is written
    beside `path` under a temporary name (a kill leaves it for remove_stale_temporaries) and renamed
    over it only when complete.
    """
    temporary = path.with_name(_temporary_name(path, os.getpid()))
    _unlink_with_wal(temporary)
    try:
        with connect_for_writing(path) as con:
            con.execute("CHECKPOINT")  # everything in the main file, nothing left in the WAL
            source, total, free = con.execute(
                "SELECT database_name, total_blocks, free_blocks FROM pragma_database_size() "
                "WHERE database_name = current_database()"
            ).fetchall()[0]
            if free <= above_free_share * total:
                return None
            con.execute(f"ATTACH {sql_string(str(temporary))} AS kzeu_compact")
            try:
                con.execute(f"COPY FROM DATABASE {quoted(source)} TO kzeu_compact")
                con.execute("CHECKPOINT kzeu_compact")
            finally:
                con.execute("DETACH kzeu_compact")
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        return free / total
    finally:
        _unlink_with_wal(temporary)


def _unlink_with_wal(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)


def _temporary_name(target: Path, pid: int) -> str:
    return f".{target.name}.{pid}.tmp"


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary copies of `target` left by killed processes; returns what was removed.

    Only files named as `_copy_atomically` names them, and only where that process no longer
    exists: a copy in progress (this process's or another live one's) is never touched.
    """
    # as _temporary_name; a DuckDB file killed while written may leave its WAL beside it
    pattern = re.compile(r"\." + re.escape(target.name) + r"\.([0-9]+)\.tmp(\.wal)?")
    removed = []
    try:
        entries = list(target.parent.iterdir())
    except FileNotFoundError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and not _process_exists(int(match.group(1))):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _copy_atomically(source: Path, target: Path) -> None:
    temporary = target.with_name(_temporary_name(target, os.getpid()))
    try:
        shutil.copyfile(source, temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)  # readers holding the old file keep reading it
    finally:
        temporary.unlink(missing_ok=True)
