"""A reader of the published warehouse, run as its own process by test_concurrent_readers.py.

    python reader_worker.py WAREHOUSE STOP_FILE PROGRESS_JSON MODE HOLD_SECONDS KZEU_EVERY_SECONDS

Until STOP_FILE exists it loops: open the published file read-only with duckdb, run mart
queries, close; and every KZEU_EVERY_SECONDS it starts `kzeu query` (KZEU_WAREHOUSE from the
environment) in a process that runs beside its reads. MODE `cycle` opens and closes a
connection per round; MODE `hold` keeps each connection open for HOLD_SECONDS, querying it all
the time, so that it is open while the build renames the new file over the old one: what such a
connection reads after the rename is recorded (`after_replace`). Every error is counted, never
raised. PROGRESS_JSON is rewritten (atomically) after every round.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

KZEU = Path(sys.executable).parent / "kzeu"

# What a reader sees: the warehouse's version (its last load) and a few mart figures that must go with it.
OBSERVE = """
SELECT (SELECT CAST(max(loaded_at) AS VARCHAR) FROM audit.load_log) AS version,
       (SELECT count(*) FROM marts.fct_diplomatic_events) AS events,
       (SELECT count(*) FROM marts.fct_diplomatic_events WHERE origin = 'gdelt') AS gdelt_events,
       (SELECT CAST(sum(events) AS BIGINT) FROM marts.fct_diplomatic_event_counts_quarterly) AS quarterly_events,
       (SELECT CAST(round(sum(exports_eur)) AS BIGINT) FROM marts.fct_trade_balance_annual
         WHERE reporter_code = 'EU27_2020' AND partner_code = 'KZ') AS eu27_exports_to_kz,
       (SELECT count(*) FROM raw.gdelt_events) AS raw_gdelt_rows,
       (SELECT count(*) FROM marts.fct_trade_monthly) AS trade_monthly_rows
"""
MART_QUERIES = [
    "SELECT year, exports_eur, imports_eur, balance_eur FROM marts.fct_trade_balance_annual "
    "WHERE reporter_code = 'EU27_2020' AND partner_code = 'KZ' ORDER BY year",
    "SELECT year, share FROM marts.fct_energy_supplier_share_annual "
    "WHERE reporter_code = 'EU' AND product_code = 'crude_oil' AND basis = 'volume' ORDER BY year",
    "SELECT event_date, event_type, title FROM marts.fct_diplomatic_events ORDER BY event_date DESC LIMIT 20",
]
KZEU_SQL = "SELECT CAST(max(loaded_at) AS VARCHAR) AS version FROM audit.load_log"


def observe(con) -> tuple[str, list]:
    for sql in MART_QUERIES:
        con.execute(sql).fetchall()
    version, *figures = con.execute(OBSERVE).fetchall()[0]
    return version, figures


def observe_file(path: Path) -> tuple[str, list]:
    with duckdb.connect(str(path), read_only=True) as con:
        return observe(con)


class Reader:
    def __init__(self, warehouse: Path, progress: Path, mode: str):
        self.warehouse, self.progress_file = warehouse, progress
        self.state = {
            "mode": mode,
            "pid": os.getpid(),
            "rounds": 0,
            "queries": 0,
            "errors": [],
            "versions": {},  # version -> [figures, times seen]: one set of figures per version
            "kzeu_runs": 0,
            "kzeu_versions": [],
            "after_replace": [],  # versions read on connections opened before the file was replaced
        }

    def seen(self, version: str, figures: list) -> None:
        known = self.state["versions"].setdefault(version, [figures, 0])
        if known[0] != figures:
            self.state["errors"].append(f"version {version} seen with {known[0]} and with {figures}")
        known[1] += 1
        self.state["queries"] += 1

    def error(self, where: str, exc: BaseException) -> None:
        self.state["errors"].append(f"{where}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")

    def open(self):
        """A read-only connection and the inode it opened (None when the file was replaced meanwhile)."""
        before = os.stat(self.warehouse).st_ino
        con = duckdb.connect(str(self.warehouse), read_only=True)
        return con, (before if os.stat(self.warehouse).st_ino == before else None)

    def cycle_round(self) -> None:
        try:
            con, _ = self.open()
            try:
                self.seen(*observe(con))
            finally:
                con.close()
        except Exception as exc:
            self.error("duckdb", exc)

    def hold_round(self, seconds: float, stop: Path) -> None:
        try:
            con, inode = self.open()
        except Exception as exc:
            self.error("duckdb open", exc)
            time.sleep(0.1)
            return
        try:
            until, after_replace = time.monotonic() + seconds, 0
            # once the file is replaced under this connection, keep it for a few more reads
            while (time.monotonic() < until or 0 < after_replace < 3) and not stop.exists():
                replaced = inode is not None and os.stat(self.warehouse).st_ino != inode  # before the read
                try:
                    version, figures = observe(con)
                    self.seen(version, figures)
                    if replaced:  # the whole read ran after the rename
                        self.state["after_replace"].append(version)
                        after_replace += 1
                except Exception as exc:
                    self.error("duckdb (held)", exc)
                    after_replace += bool(replaced)
                time.sleep(0.1)
        finally:
            con.close()

    def start_kzeu_query(self) -> subprocess.Popen | None:
        """`kzeu query` in a process of its own: it runs beside this reader's reads, so that a held
        connection stays open meanwhile (a query run in between left gaps of seconds under load)."""
        self.state["kzeu_runs"] += 1
        try:
            return subprocess.Popen(
                [str(KZEU), "query", KZEU_SQL, "--csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except Exception as exc:
            self.error("kzeu query", exc)
            return None

    def finish_kzeu_query(self, process: subprocess.Popen) -> None:
        try:
            stdout, stderr = process.communicate(timeout=120)
        except Exception as exc:
            process.kill()
            self.error("kzeu query", exc)
            return
        if process.returncode != 0:
            self.state["errors"].append(f"kzeu query exited {process.returncode}: {stderr.strip()[:300]}")
            return
        rows = list(csv.DictReader(io.StringIO(stdout)))
        if len(rows) != 1 or not rows[0].get("version"):
            self.state["errors"].append(f"kzeu query printed {stdout[:200]!r}")
        elif rows[0]["version"] not in self.state["kzeu_versions"]:
            self.state["kzeu_versions"].append(rows[0]["version"])

    def write_progress(self) -> None:
        temporary = self.progress_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.state))
        os.replace(temporary, self.progress_file)


def main(argv: list[str]) -> int:
    warehouse, stop, progress, mode, hold_seconds, kzeu_every = argv
    reader = Reader(Path(warehouse), Path(progress), mode)
    stop = Path(stop)
    next_kzeu, pending = time.monotonic(), None
    while not stop.exists():
        if pending is None and time.monotonic() >= next_kzeu:
            pending = reader.start_kzeu_query()
            next_kzeu = time.monotonic() + float(kzeu_every)
        if mode == "hold":
            reader.hold_round(float(hold_seconds), stop)
        else:
            reader.cycle_round()
            time.sleep(0.05)
        if pending is not None and pending.poll() is not None:
            reader.finish_kzeu_query(pending)
            pending = None
        reader.state["rounds"] += 1
        reader.write_progress()
    if pending is not None:
        reader.finish_kzeu_query(pending)
    reader.write_progress()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
