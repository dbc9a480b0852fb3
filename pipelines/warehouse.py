"""The one place that opens the warehouse: a build copy for the writer, the published file for readers.

Write-audit-publish: every asset writes to the build copy (settings.build_warehouse); the
publish step copies it beside the published file and renames it over in one atomic step,
only after the raw suites and the dbt tests passed. Readers open the published file
read-only; a running or killed build never touches it.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .settings import Settings


@contextmanager
def build_connection(settings: Settings):
    """Read-write connection to the build copy, created from the published warehouse if absent."""
    path = prepare_build(settings)
    con = duckdb.connect(str(path))
    try:
        yield con
    finally:
        con.close()


def prepare_build(settings: Settings) -> Path:
    build = settings.build_warehouse
    build.parent.mkdir(parents=True, exist_ok=True)
    if not build.exists() and settings.warehouse.exists():
        _copy_atomically(settings.warehouse, build)
    return build


@contextmanager
def read_connection(settings: Settings, path: Path | None = None):
    """Read-only connection to the published warehouse (or another file, e.g. the build copy)."""
    target = path or settings.warehouse
    if not target.exists():
        raise FileNotFoundError(f"no warehouse at {target}: run `make run` (or `kzeu build`) first")
    con = duckdb.connect(str(target), read_only=True)
    try:
        yield con
    finally:
        con.close()


def publish(settings: Settings) -> Path:
    """Atomically replace the published warehouse by the build copy."""
    build = settings.build_warehouse
    with duckdb.connect(str(build)) as con:
        con.execute("CHECKPOINT")  # everything in the main file, nothing left in the WAL
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    _copy_atomically(build, settings.warehouse)
    return settings.warehouse


def _copy_atomically(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)  # readers holding the old file keep reading it
    finally:
        temporary.unlink(missing_ok=True)
