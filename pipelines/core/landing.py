"""Land the files of one raw domain folder into one raw table, with lineage and an audit row each.

Idempotent: an unchanged file (same path, size, mtime, hence sha256) is skipped; a changed file
replaces its own rows; a file that left the folder takes its rows with it. One transaction for
the folder: one bad file means nothing of this load lands, and its audit row says why.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError, from_duckdb_error
from pipelines.core.tables import RawTable, ReadResult

LINEAGE_COLUMNS = {"_source_file": "VARCHAR", "_source_sha256": "VARCHAR", "_loaded_at": "TIMESTAMP"}

LOAD_LOG_DDL = """
CREATE TABLE IF NOT EXISTS audit.load_log (
    file VARCHAR, domain VARCHAR, raw_table VARCHAR, source_format VARCHAR, sha256 VARCHAR,
    size_bytes BIGINT, mtime_ns BIGINT, rows_read BIGINT, rows_kept BIGINT, rows_rejected BIGINT,
    status VARCHAR, message VARCHAR, loaded_at TIMESTAMP, duration_s DOUBLE
)"""

Reader = Callable[[duckdb.DuckDBPyConnection, Path], ReadResult]

# DuckDB's memory limit while a folder lands, where its own is higher and the database is a file:
# a large file's INSERT and key check then spill to the database's temporary directory instead of
# growing (a whole Comext month, 15M rows, peaked at 1.2 GiB without it; issue 12). DuckDB's
# limit holds for the whole database instance: it is put back when the folder is done.
LANDING_MEMORY_LIMIT_MIB = 512


@dataclass
class FileLoad:
    file: str
    status: str  # loaded | unchanged | removed | rejected
    raw_table: str | None = None  # the raw table the file's rows land in (a folder may feed several)
    sha256: str | None = None
    source_format: str | None = None
    size_bytes: int | None = None
    mtime_ns: int | None = None
    rows_read: int = 0
    rows_kept: int = 0
    rows_rejected: int = 0
    message: str = ""
    duration_s: float = 0.0


def sha256_of(path: Path, chunk: int = 4 * 1024 * 1024) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)  # releases the GIL: runs beside DuckDB's scan
    return digest.hexdigest()


def raw_files(folder: Path) -> list[Path]:
    """Data files of a domain folder: everything but hidden files and notes."""
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix.lower() != ".md"
    )


def ensure_tables(con: duckdb.DuckDBPyConnection, tables: tuple[RawTable, ...]) -> None:
    """Create the folder's raw tables (and the audit log) where missing.

    The raw tables are derived from the files alone: after a change of any one's shape (a new version
    of the project), every table of the folder is dropped, so that every file lands again in all of
    them. Dropping only the changed one would leave its files counted as landed through a companion.
    """
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    con.execute(LOAD_LOG_DDL)
    wanted = {table.name: [*table.columns, *LINEAGE_COLUMNS] for table in tables}
    existing = {name: _columns(con, name) for name in wanted}
    if any(columns and columns != wanted[name] for name, columns in existing.items()):
        for name, columns in existing.items():
            if columns:
                con.execute(f"DROP TABLE raw.{name}")
    for table in tables:
        cols = ", ".join(f"{name} {kind}" for name, kind in {**table.columns, **LINEAGE_COLUMNS}.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS raw.{table.name} ({cols})")


def _columns(con, table: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() "
            "WHERE schema_name = 'raw' AND table_name = ? ORDER BY column_index",
            [table],
        ).fetchall()
    ]


def _landed_files(con, domain: str, tables: tuple[RawTable, ...]) -> dict[str, tuple]:
    """file -> (sha256, size, mtime, format, raw table) of what the folder's tables hold now, from the
    last successful load."""
    rows = con.execute(
        """
        SELECT file, sha256, size_bytes, mtime_ns, source_format, raw_table FROM audit.load_log
        WHERE domain = ? AND status IN ('loaded', 'unchanged')
        QUALIFY row_number() OVER (PARTITION BY file ORDER BY loaded_at DESC) = 1
        """,
        [domain],
    ).fetchall()
    present = set()
    for table in tables:
        present |= {r[0] for r in con.execute(f"SELECT DISTINCT _source_file FROM raw.{table.name}").fetchall()}
    return {r[0]: r[1:] for r in rows if r[0] in present}


def _tables(raw_table: RawTable) -> tuple[RawTable, ...]:
    """A raw table and its companions: the tables one file feeds."""
    return (raw_table, *raw_table.companions)


def _folder_tables(main: RawTable, others: tuple[RawTable, ...]) -> tuple[RawTable, ...]:
    """Every raw table a folder's files may land in: the main table, the others, their companions."""
    return tuple(table for each in (main, *others) for table in _tables(each))


def _land_one(
    con, path: Path, name: str, reader: Reader, main: RawTable, others: tuple[RawTable, ...], known, now: datetime
) -> FileLoad:
    """Read one file and insert its rows straight into its raw tables, then check them there.

    No copy of the rows is staged: a whole Comext month (15M rows) would be held in memory, and
    copied twice. The checks read the file's rows back from the raw tables (`_source_file`); a
    failed check raises, and land_folder rolls the folder's transaction back, these rows with it.
    A file whose bytes are the ones already landed (touched, not changed) inserts nothing.
    """
    started = time.perf_counter()
    stat = path.stat()
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(sha256_of, path)  # beside the reader's own scan, if it makes one
        try:
            result = reader(con, path)
        except duckdb.Error as exc:
            raise from_duckdb_error(name, exc) from exc
        sha = digest.result()  # the rows carry it: needed before the INSERT
    raw_table = _target(name, result, main, others)
    selects = {raw_table.name: result.select, **(result.companions or {})}
    for table in _tables(raw_table):
        if table.name not in selects:
            raise RawFileError(name, f"the reader gave no rows for raw.{table.name}")
    load = FileLoad(
        file=name,
        status="loaded",
        raw_table=f"raw.{raw_table.name}",
        sha256=sha,
        size_bytes=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
    )
    if known and known[0] == sha:  # touched, not changed: its rows stay as they are
        load.status, load.raw_table, load.source_format = "unchanged", known[4], known[3]
        return load
    for each in _folder_tables(main, others):  # a replaced file may have changed shape: out of every table
        con.execute(f"DELETE FROM raw.{each.name} WHERE _source_file = ?", [name])
    inserted = {}
    # Rows in any order: DuckDB then need not keep the scan's order while inserting (about 15% less
    # CPU, less memory); the checks order what they report by source_line. Only for the INSERTs:
    # readers count lines by rowid in their staging. (A failed INSERT aborts the transaction, where
    # no SET runs: land_folder puts the setting back after its ROLLBACK.)
    preserve = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
    con.execute("SET preserve_insertion_order = false")
    try:
        for table in _tables(raw_table):
            data_cols = ", ".join(table.columns)
            inserted[table.name] = con.execute(
                f"INSERT INTO raw.{table.name} ({data_cols}, _source_file, _source_sha256, _loaded_at) "
                f"SELECT {data_cols}, ?, ?, ? FROM ({selects[table.name]}) AS file_rows",
                [name, sha, now],
            ).fetchall()[0][0]
    except duckdb.Error as exc:
        raise from_duckdb_error(name, exc) from exc
    con.execute("SET preserve_insertion_order = ?", [preserve])
    kept = inserted[raw_table.name]
    read = kept if result.rows_read is None else result.rows_read
    if read == 0 or (kept == 0 and raw_table.rows_required):
        raise RawFileError(name, "no rows: no data rows in the file, or none for the configured partners")
    for table in _tables(raw_table):
        _check_landed(con, name, table, result.locate_lines if table is raw_table else None)
    load.source_format = next(  # no row kept: the companions still say what was read
        (fmt for table in _tables(raw_table) if (fmt := _source_format(con, name, table)) is not None), None
    )
    load.rows_read, load.rows_kept, load.rows_rejected = read, kept, read - kept
    load.duration_s = time.perf_counter() - started
    return load


def _source_format(con, name: str, table: RawTable) -> str | None:
    rows = con.execute(f"SELECT source_format FROM raw.{table.name} WHERE _source_file = ? LIMIT 1", [name]).fetchall()
    return rows[0][0] if rows else None


def _target(name: str, result: ReadResult, main: RawTable, others: tuple[RawTable, ...]) -> RawTable:
    """The raw table a file's reader routed it to (ReadResult.table; None is the folder's main table)."""
    if result.table is None or result.table == main.name:
        return main
    for table in others:
        if table.name == result.table:
            return table
    raise RawFileError(name, f"the reader routed the file to raw.{result.table}, which this folder does not feed")


def _check_landed(con, name: str, table: RawTable, locate_lines=None) -> None:
    """Reader-level integrity of a file's rows as landed: every row parsed, one row per key.

    Each check is one cheap pass over the file's rows; only a failure looks for the rows to name.
    The key check groups a 64-bit hash of the key, not the key's text (a hash table of a few bytes a
    row); equal hashes are then compared by the key itself, so a hash collision is no error."""
    rows = f"raw.{table.name} WHERE _source_file = ?"
    if table.not_null:
        nulls = con.execute(f"SELECT {', '.join(f'bool_or({c} IS NULL)' for c in table.not_null)} FROM {rows}", [name])
        for column, has_null in zip(table.not_null, nulls.fetchall()[0], strict=True):
            if has_null:
                bad = con.execute(
                    f"SELECT source_line FROM {rows} AND {column} IS NULL ORDER BY source_line LIMIT 1", [name]
                ).fetchall()
                raise RawFileError(
                    name, f"{column} could not be read (unknown code or malformed value)", row=bad[0][0], column=column
                )
    key = table.key
    keys = ", ".join(key)
    hashes = f"SELECT hash({keys}) AS key_hash FROM {rows} GROUP BY key_hash HAVING count(*) > 1"
    if not con.execute(f"SELECT count(*) FROM ({hashes})", [name]).fetchall()[0][0]:
        return
    dup = con.execute(
        f"SELECT {keys}, list(source_line ORDER BY source_line) FROM {rows} AND hash({keys}) IN ({hashes}) "
        f"GROUP BY {keys} HAVING count(*) > 1 ORDER BY min(source_line), {keys} LIMIT 1",
        [name, name],
    ).fetchall()
    if dup:
        dup = dup[0]
        lines = [line for line in dup[-1] if line is not None]
        if not lines and locate_lines:
            lines = locate_lines(dict(zip(key, dup[:-1], strict=True)))
        shown = ", ".join(f"{k}={v}" for k, v in zip(key, dup[:-1], strict=True))
        raise RawFileError(
            name,
            f"duplicated key ({shown})" + (f" on lines {lines}" if lines else ""),
            row=lines[1] if len(lines) > 1 else None,
            column=key[0],
        )


def land_folder(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    domain: str,
    raw_table: RawTable,
    reader: Reader,
    other_tables: tuple[RawTable, ...] = (),
) -> list[FileLoad]:
    """Bring the folder's raw tables in line with raw_dir/<domain>; returns one FileLoad per file.

    Each file lands in `raw_table` (and its companions) unless its reader routes it to one of
    `other_tables` (ReadResult.table): a folder such as raw/trade holds several publishers' shapes.
    """
    every_table = _folder_tables(raw_table, other_tables)
    ensure_tables(con, every_table)
    landed = _landed_files(con, domain, every_table)
    now = datetime.now(UTC).replace(tzinfo=None)
    files = raw_files(raw_dir / domain)
    names = {path: f"{domain}/{path.name}" for path in files}
    with _memory_limited(con, LANDING_MEMORY_LIMIT_MIB), _put_back(con, "preserve_insertion_order"):
        return _land_files(con, domain, raw_table, reader, other_tables, files, names, landed, now)


def _land_files(con, domain, raw_table, reader, other_tables, files, names, landed, now) -> list[FileLoad]:
    """land_folder's one transaction over the folder's files."""
    table = raw_table.name
    every_table = _folder_tables(raw_table, other_tables)
    loads: list[FileLoad] = []
    current = None
    # A reader may read several files in one scan (GDELT's daily files): tell it which it will be asked for.
    prepare, release = getattr(reader, "prepare", None), getattr(reader, "release", None)
    con.execute("BEGIN TRANSACTION")
    try:
        if prepare is not None:
            prepare(con, [p for p in files if (landed.get(names[p]) or (None,) * 3)[1:3] != _stat_key(p)])
        for path in files:
            name, stat = names[path], path.stat()
            current = name
            known = landed.get(name)
            if known and known[1:3] == (stat.st_size, stat.st_mtime_ns):
                loads.append(
                    FileLoad(
                        name,
                        "unchanged",
                        raw_table=known[4],
                        sha256=known[0],
                        source_format=known[3],
                        size_bytes=stat.st_size,
                        mtime_ns=stat.st_mtime_ns,
                    )
                )
                continue
            load = _land_one(con, path, name, reader, raw_table, other_tables, known, now)
            loads.append(load)
        for gone in sorted(set(landed) - set(names.values())):
            for each in every_table:
                con.execute(f"DELETE FROM raw.{each.name} WHERE _source_file = ?", [gone])
            loads.append(
                FileLoad(
                    gone, "removed", raw_table=landed[gone][4], sha256=landed[gone][0], source_format=landed[gone][3]
                )
            )
        _log(con, domain, table, loads, now)
        con.execute("COMMIT")
    except Exception as exc:
        con.execute("ROLLBACK")
        _log(con, domain, table, [FileLoad(current or domain, "rejected", message=str(exc))], now)
        raise
    finally:
        if release is not None:
            release(con)
    return loads


@contextmanager
def _memory_limited(con, limit_mib: int) -> Iterator[None]:
    """DuckDB's memory_limit lowered to `limit_mib` meanwhile, for a file-backed database whose limit is higher."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    current = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    size = re.fullmatch(r"([0-9.]+) ?([KMGT]i?B|bytes)", current or "")
    mib = float(size[1]) * {"b": 2**-20, "k": 2**-10, "m": 1, "g": 2**10, "t": 2**20}[size[2][0].lower()] if size else 0
    if not (path and path[0][0]) or mib <= limit_mib:
        yield
        return
    with _setting(con, "memory_limit", f"{limit_mib}MiB"):
        yield


@contextmanager
def _setting(con, name: str, value) -> Iterator[None]:
    """A DuckDB setting (the database's, not only this connection's) changed meanwhile, then put back."""
    with _put_back(con, name):
        con.execute(f"SET {name} = ?", [value])
        yield


@contextmanager
def _put_back(con, name: str) -> Iterator[None]:
    """A DuckDB setting as it was before, whatever happened meanwhile (run outside a failed transaction)."""
    current = con.execute(f"SELECT current_setting('{name}')").fetchall()[0][0]
    try:
        yield
    finally:
        con.execute(f"SET {name} = ?", [current])


def _stat_key(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _log(con, domain: str, table: str, loads: list[FileLoad], now: datetime) -> None:
    if not loads:  # an empty folder: nothing to record
        return
    con.executemany(
        "INSERT INTO audit.load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                load.file,
                domain,
                load.raw_table or f"raw.{table}",
                load.source_format,
                load.sha256,
                load.size_bytes,
                load.mtime_ns,
                load.rows_read,
                load.rows_kept,
                load.rows_rejected,
                load.status,
                load.message,
                now,
                round(load.duration_s, 3),
            ]
            for load in loads
        ],
    )
