"""What a build would change, decided before it does the work: the skip logic of a no-op build.

Three fingerprints, each a sha256 over everything its work depends on:
- the code version: every source file of `pipelines/` and of the dbt project (models, seeds,
  macros, tests, docs, project and profile), the versions of the libraries that compute
  (dagster, dbt, duckdb, Great Expectations, pandas) and the settings that change what lands
  (`KZEU_TRADE_PARTNERS`);
- a suite's: the code version, the day (expectations take today's date), and what its raw table
  holds (every landed file with its sha256, and the row count);
- dbt's: the code version and what every raw table holds.

A step records its fingerprint in `audit.build_state` of the build copy once it succeeded, and
drops the record before it changes anything (a killed step leaves no record: it runs again).
A suite whose table holds what last passed is not run again; dbt is not run again when its
fingerprint is the recorded one and the published warehouse was built from the same
(`published` row, written by the publish step); nothing is then published.

`kzeu build` checks first, before Dagster or dbt start (`nothing_to_build`): when the published
warehouse was built by this code version from exactly the files in raw/ (path, size and mtime,
as landing compares them), and the build copy's last load was not rejected, there is nothing to
do. Any doubt (no record, a file that cannot be opened, a lock) means: build.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from pipelines.settings import DBT_PROJECT_DIR, DBT_TARGET_DIR, REPO_ROOT, Settings

STATE_DDL = """
CREATE TABLE IF NOT EXISTS audit.build_state (
    step VARCHAR, fingerprint VARCHAR, code_version VARCHAR, recorded_at TIMESTAMP
)"""

# The libraries whose versions change results; a new version is a new code version.
LIBRARIES = ("dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "duckdb", "great-expectations", "pandas")
# What dbt reads: the project's own files (target/, logs/ and packages are outputs or downloads).
DBT_SOURCE_DIRS = ("models", "seeds", "macros", "tests", "snapshots", "analyses")
DBT_SOURCE_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "dependencies.yml")
PIPELINES_DIR = REPO_ROOT / "pipelines"

PUBLISHED = "published"
DBT = "dbt"
# A run tag: a run carrying it validates, builds and publishes whatever the records say (`kzeu build --force`).
FORCE_TAG = "kzeu/force"


def forced(tags) -> bool:
    return str(tags.get(FORCE_TAG, "")).lower() == "true"


def _digest(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _files_under(root: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and (suffixes is None or p.suffix in suffixes)
    )


def dbt_source_files(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    """Every file of the dbt project that dbt parses or runs."""
    files = [f for d in DBT_SOURCE_DIRS for f in _files_under(project_dir / d)]
    return files + [project_dir / name for name in DBT_SOURCE_FILES if (project_dir / name).is_file()]


def code_files() -> list[Path]:
    return _files_under(PIPELINES_DIR, (".py", ".csv", ".sql", ".json")) + dbt_source_files()


def files_digest(files: Iterable[Path], root: Path = REPO_ROOT) -> str:
    """sha256 over the files' paths (relative to root) and contents."""
    parts = []
    for path in files:
        parts += [str(path.relative_to(root) if path.is_relative_to(root) else path), path.read_bytes()]
    return _digest(parts)


def library_versions() -> list[str]:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}==absent")
    return versions


def code_version(settings: Settings) -> str:
    """The code, library and settings version of a build (a few milliseconds: read every time)."""
    return _digest([files_digest(code_files()), *library_versions(), "partners=" + ",".join(settings.trade_partners)])


def dbt_parse_stamp(build_warehouse: Path) -> str:
    """What dbt's manifest depends on: the dbt project's files, dbt's version and the build copy's path
    (a var of the profile). The same stamp: `dbt parse` would write the same manifest."""
    return _digest(
        [
            files_digest(dbt_source_files()),
            importlib.metadata.version("dbt-core"),
            importlib.metadata.version("dbt-duckdb"),
            str(build_warehouse),
        ]
    )


# --- what the raw folder holds, and what a warehouse landed ---------------------------------------


def folder_state(raw_dir: Path, folders: Iterable[str]) -> list[tuple[str, int, int]]:
    """(folder/file, size, mtime_ns) of every data file of the raw folders, sorted: what landing compares."""
    from pipelines.core.landing import raw_files

    state = []
    for folder in folders:
        for path in raw_files(raw_dir / folder):
            stat = path.stat()
            state.append((f"{folder}/{path.name}", stat.st_size, stat.st_mtime_ns))
    return sorted(state)


def landed_state(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int]]:
    """(file, size, mtime_ns) of every file a warehouse holds, from its last load of each file."""
    return sorted(
        tuple(row)
        for row in con.execute(
            """
            SELECT file, size_bytes, mtime_ns FROM audit.load_log
            QUALIFY row_number() OVER (PARTITION BY file ORDER BY loaded_at DESC) = 1
                AND status IN ('loaded', 'unchanged')
            """
        ).fetchall()
    )


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw' ORDER BY table_name"
        ).fetchall()
    ]


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """A table's columns and types, as text."""
    schema, name = table.split(".")
    return str(
        con.execute(
            "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) FROM duckdb_columns() "
            "WHERE schema_name = ? AND table_name = ?",
            [schema, name],
        ).fetchall()[0][0]
    )


def table_content(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """What a raw table holds, as text: its columns, its row count, every landed file with its sha256."""
    columns = table_columns(con, table)
    rows = con.execute(
        f"SELECT _source_file, _source_sha256, count(*) FROM {table} GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    return [table, str(columns), *(f"{file}|{sha}|{count}" for file, sha, count in rows)]


def suite_fingerprint(con: duckdb.DuckDBPyConnection, table: str, suite: str, code: str, today: date) -> str:
    return _digest([code, suite, today.isoformat(), *table_content(con, table)])


def file_fingerprint(code: str, suite: str, today: date, columns: str, file: str, sha256: str, rows: int) -> str:
    """A suite's verdict on one landed file holds while the code, the day, the table's columns and the
    file's rows (its sha256 and count) are those it was given on."""
    return _digest([code, suite, today.isoformat(), columns, file, sha256, str(rows)])


VALIDATED_DDL = """
CREATE TABLE IF NOT EXISTS audit.validated_files (
    suite VARCHAR, file VARCHAR, fingerprint VARCHAR, recorded_at TIMESTAMP
)"""


def validated_files(con: duckdb.DuckDBPyConnection, suite: str) -> set[str]:
    """The file fingerprints a suite passed (per landed file: a new month validates its own file only)."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'audit' AND table_name = 'validated_files'"
    ).fetchall()[0][0]
    if not exists:  # a warehouse from before: nothing recorded, every file is validated
        return set()
    rows = con.execute("SELECT fingerprint FROM audit.validated_files WHERE suite = ?", [suite]).fetchall()
    return {r[0] for r in rows}


def record_validated(con: duckdb.DuckDBPyConnection, suite: str, files: dict[str, str]) -> None:
    """Record that `suite` passed these files ({file: fingerprint}); a file's older verdicts are replaced."""
    if not files:
        return
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    con.execute(VALIDATED_DDL)
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute("BEGIN TRANSACTION")
    con.executemany("DELETE FROM audit.validated_files WHERE suite = ? AND file = ?", [[suite, f] for f in files])
    con.executemany(
        "INSERT INTO audit.validated_files VALUES (?, ?, ?, ?)", [[suite, f, fp, now] for f, fp in files.items()]
    )
    con.execute("COMMIT")


def dbt_fingerprint(con: duckdb.DuckDBPyConnection, code: str) -> str:
    return _digest([code, *(part for table in raw_tables(con) for part in table_content(con, f"raw.{table}"))])


def raw_table_digests(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{raw.table: digest of what it holds}: dbt rebuilds only what is downstream of a changed one."""
    return {f"raw.{t}": _digest(table_content(con, f"raw.{t}")) for t in raw_tables(con)}


def changed_raw_tables(before: dict[str, str] | None, now: dict[str, str]) -> set[str] | None:
    """The raw tables whose content changed since `before`; None (rebuild everything) when a table
    was dropped or nothing is known."""
    if before is None or set(before) - set(now):
        return None
    return {table for table, digest in now.items() if before.get(table) != digest}


def downstream_of(manifest: dict, sources: Iterable[str]) -> set[str]:
    """What `dbt build --select source:a+ source:b+` builds, from the manifest alone: the models
    downstream of the sources, the tests and unit tests on them (a test on a changed model and an
    unchanged seed included, as dbt's selection includes it)."""
    models: set[str] = set()
    stack = list(sources)
    while stack:
        for child in manifest["child_map"].get(stack.pop(), []):
            if child.startswith("model.") and child not in models:
                models.add(child)
                stack.append(child)
    parents = models | set(sources)
    nodes = {**manifest["nodes"], **manifest.get("unit_tests", {})}
    tests = {
        uid
        for uid, node in nodes.items()
        if node["resource_type"] in ("test", "unit_test") and set(node["depends_on"]["nodes"]) & parents
    }
    return models | tests


def excluded_from_build(manifest: dict, built: set[str]) -> list[str]:
    """dbt selectors for every model, seed, snapshot, test and unit test outside `built` (fqn: and
    unit_test: methods), for `dbt build --exclude ...` with `--indirect-selection buildable`."""
    nodes = {**manifest["nodes"], **manifest.get("unit_tests", {})}
    excluded = []
    for uid, node in sorted(nodes.items()):
        kind = node["resource_type"]
        if uid in built or kind not in ("model", "seed", "snapshot", "test", "unit_test"):
            continue
        excluded.append(f"unit_test:{node['name']}" if kind == "unit_test" else "fqn:" + ".".join(node["fqn"]))
    return excluded


# --- the record of what was built --------------------------------------------------------------


def recorded(con: duckdb.DuckDBPyConnection, step: str) -> tuple[str, str] | None:
    """(fingerprint, code_version) a step recorded, or None."""
    try:
        rows = con.execute(
            "SELECT fingerprint, code_version FROM audit.build_state WHERE step = ? ORDER BY recorded_at DESC LIMIT 1",
            [step],
        ).fetchall()
    except duckdb.CatalogException:  # an older warehouse: no record, so everything runs
        return None
    return tuple(rows[0]) if rows else None


def record(con: duckdb.DuckDBPyConnection, step: str, fingerprint: str, code: str) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    con.execute(STATE_DDL)
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM audit.build_state WHERE step = ?", [step])
    con.execute(
        "INSERT INTO audit.build_state VALUES (?, ?, ?, ?)",
        [step, fingerprint, code, datetime.now(UTC).replace(tzinfo=None)],
    )
    con.execute("COMMIT")


def forget(con: duckdb.DuckDBPyConnection, step: str) -> None:
    """Drop a step's record before it changes anything: killed half-way, it runs again next time."""
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    con.execute(STATE_DDL)
    con.execute("DELETE FROM audit.build_state WHERE step = ?", [step])


def published_fingerprint(settings: Settings) -> str | None:
    """The dbt fingerprint the published warehouse was built from (None: unknown, so build)."""
    if not settings.warehouse.exists():
        return None
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            found = recorded(con, PUBLISHED)
    except duckdb.Error:
        return None
    return found[0] if found else None


def nothing_to_build(settings: Settings, folders: Iterable[str]) -> str | None:
    """Why a build would change nothing (a one-line reason), or None when it must run.

    Read-only and cheap (no Dagster, no dbt): the published warehouse's record and load log, the
    raw folder's file sizes and mtimes, the code version, and a look at the build copy.
    """
    if not settings.warehouse.exists():
        return None
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            found = recorded(con, PUBLISHED)
            landed = landed_state(con) if found else None
    except duckdb.Error:
        return None
    if not found or found[1] != code_version(settings):
        return None
    if landed != folder_state(settings.raw_dir, folders):
        return None
    if settings.build_warehouse.exists():
        try:
            with duckdb.connect(str(settings.build_warehouse), read_only=True) as con:
                last = con.execute("SELECT status FROM audit.load_log ORDER BY loaded_at DESC LIMIT 1").fetchall()
        except duckdb.Error:  # a build holds it, or it is damaged: let the build decide
            return None
        if last and last[0][0] == "rejected":  # the last build was refused: build, so that it is recorded
            return None
    return f"the published warehouse was built from these {len(landed)} raw files by this code version"


# --- dbt's manifest -----------------------------------------------------------------------------

PARSE_STAMP = ".kzeu_parse_stamp"


def vars_of_build(settings: Settings) -> str:
    """The vars of every dbt parse and run: the same text each time, so that dbt's partial parsing holds
    (dbt parses the whole project again when its vars or its profile change)."""
    return json.dumps({"build_warehouse": str(settings.build_warehouse)})


def _stamp_path() -> Path:
    return DBT_TARGET_DIR / PARSE_STAMP


def parse_is_current(settings: Settings) -> bool:
    """dbt's manifest was written by `dbt parse` from these files, this dbt and this build copy's path."""
    stamp = _stamp_path()
    return (
        (DBT_TARGET_DIR / "manifest.json").exists()
        and stamp.exists()
        and stamp.read_text() == dbt_parse_stamp(settings.build_warehouse)
    )


def record_parse(settings: Settings) -> None:
    DBT_TARGET_DIR.mkdir(parents=True, exist_ok=True)
    _stamp_path().write_text(dbt_parse_stamp(settings.build_warehouse))
