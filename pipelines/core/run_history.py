"""Dagster's run history on SQLite without an fsync per event, for the `kzeu` process only.

Dagster's SQLite storages (`$DAGSTER_HOME/history`) open a connection per event and commit it;
in WAL mode, the close of the last connection checkpoints, and each checkpoint and commit waits
for the disk (fsync). A build stores about 1,400 events (one per dbt test, model, step and log
line): measured on this machine's virtual disk, 14-35 ms each, 50-120 s of a build spent waiting
for the disk, more than dbt and the suites together. With `PRAGMA synchronous=OFF` SQLite hands
the writes to the operating system and goes on (0.6 ms an event).

What it risks: a crashed or killed `kzeu` loses nothing the OS received (the kill tests kill
builds); only a power loss or an OS crash during a build may lose or damage the run history of
that moment (never the warehouse, which DuckDB writes with its own guarantees). Set
`KZEU_DAGSTER_HISTORY_SYNC=full` to keep SQLite's default. The Dagster UI's own processes
(`kzeu ui`) keep SQLite's default.
"""

from __future__ import annotations

import os

_installed = False


def relax_history_sync() -> None:
    """Install, once per process, a hook that sets `synchronous=OFF` on every new SQLite connection."""
    global _installed
    if _installed or os.environ.get("KZEU_DAGSTER_HISTORY_SYNC", "").lower() == "full":
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _no_fsync(dbapi_connection, _record) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()

    _installed = True
