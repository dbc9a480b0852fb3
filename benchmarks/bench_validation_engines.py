"""Benchmark Great Expectations 1.x validation engines on a DuckDB raw table.

Compares, on the same expectation suite:
  pandas         -- fetch the table with duckdb's .df() and validate the DataFrame
  sql_shipped    -- GE's SQL datasource (duckdb:///path via duckdb-engine), as shipped
  sql_persisted  -- the same, plus the private _PERSISTED_CONNECTION_DIALECTS workaround
  sql_*_query    -- same two, but a query asset "SELECT * FROM raw.<table>" instead of a
                   table asset (GE's column-reflection fallback drops the schema name)

ALL DATA IS SYNTHETIC: rows are generated deterministically in DuckDB SQL from
range(N); no real Comext figures are used. Nothing here touches the network.

    python benchmarks/bench_validation_engines.py --rows 200000

Each engine runs in its own subprocess so GE's import, the private patch and the
peak-RSS numbers (/proc VmHWM, reset per table) do not leak between engines.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

os.environ["GX_ANALYTICS_ENABLED"] = "False"  # no usage statistics
os.environ["DO_NOT_TRACK"] = "1"

import duckdb

ENGINES = ("pandas", "sql_shipped", "sql_persisted", "sql_shipped_query", "sql_persisted_query")
TABLES = ("trade_flows", "trade_flows_bad")
BAD_BASE_ROWS = 10_000
BAD_EXPECTED = {
    "compound_columns_to_be_unique[key]",
    "column_values_to_match_regex[reporter_code]",
    "column_values_to_be_in_set[flow]",
    "column_values_to_be_between[value_eur]",
}
KEY = [
    "source_format",
    "_source_file",
    "reporter_code",
    "partner_code",
    "product_code",
    "flow",
    "stat_procedure",
    "period_code",
]
DDL = """source_format VARCHAR, dataset VARCHAR, reporter_code VARCHAR,
  partner_code VARCHAR, product_code VARCHAR, flow VARCHAR, stat_procedure VARCHAR,
  period_code VARCHAR, period_start DATE, period_freq VARCHAR, value_eur DOUBLE,
  quantity_kg DOUBLE, obs_flag VARCHAR, _source_file VARCHAR, _source_sha256 VARCHAR,
  _loaded_at TIMESTAMP"""
COLUMNS = [c.split()[0] for c in DDL.replace("\n", " ").split(",")]
# fmt: off
REPORTERS = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU",
             "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
PARTNERS = ["KZ", "CN", "US", "GB", "CH", "TR", "RU", "JP", "KR", "IN", "BR", "NO", "UA", "VN", "TW", "SA", "AE", "MX",
            "CA", "ZA", "AU", "SG", "MY", "TH", "ID", "IL", "EG", "MA", "DZ", "NG", "AR", "CL", "RS", "BY", "UZ", "AZ",
            "GE", "AM", "TN", "PK"]
# fmt: on
# Mixed-radix decomposition of i -> every generated row has a distinct KEY.
# product p(150) | flow f(2) | period m(36) | reporter r(27) | partner k(40) | stat s(3)
MAX_ROWS = 150 * 2 * 36 * 27 * 40 * 3
EXPR = {
    "source_format": "'comext_bulk'",
    "dataset": "'DS-045409'",
    "reporter_code": f"{REPORTERS}[r + 1]",
    "partner_code": f"{PARTNERS}[k + 1]",
    "product_code": "CASE WHEN p = 0 THEN 'TOTAL' WHEN p < 100 THEN lpad(p::VARCHAR, 2, '0')"
    " ELSE lpad((p * 104729)::VARCHAR, 8, '0') END",
    "flow": "CASE f WHEN 0 THEN 'import' ELSE 'export' END",
    "stat_procedure": "(s + 1)::VARCHAR",
    "period_code": "pc",
    "period_start": "ps",
    "period_freq": "pf",
    "value_eur": "round(((i * 2654435761) % 1000003) * 1.37 + 0.5, 2)::DOUBLE",
    "quantity_kg": "CASE WHEN i % 17 = 0 THEN NULL ELSE ((i * 40503) % 99991) * 2.5 END",
    "obs_flag": "CASE WHEN i % 97 = 0 THEN 'c' END",
    "_source_file": "'comext_' || pc || '.dat'",
    "_source_sha256": "sha256('comext_' || pc || '.dat')",
    "_loaded_at": "TIMESTAMP '2025-01-15 06:00:00'",
}


def gen_sql(start: int, stop: int, **override: str) -> str:
    """SELECT producing synthetic rows i in [start, stop); override replaces column exprs."""
    cols = ",\n  ".join(f"{e} AS {c}" for c, e in {**EXPR, **override}.items())
    return f"""SELECT {cols} FROM (
      SELECT *, CASE WHEN m < 33 THEN strftime(ps, '%Y%m') ELSE year(ps)::VARCHAR END AS pc,
             CASE WHEN m < 33 THEN 'M' ELSE 'A' END AS pf
      FROM (SELECT i, i % 150 AS p, (i // 150) % 2 AS f, (i // 300) % 36 AS m,
                   (i // 10800) % 27 AS r, (i // 291600) % 40 AS k, i // 11664000 AS s,
                   CASE WHEN (i // 300) % 36 < 33
                        THEN make_date(2020 + (i // 300) % 36 // 12, (i // 300) % 36 % 12 + 1, 1)
                        ELSE make_date(2020 + (i // 300) % 36 - 33, 1, 1) END AS ps
            FROM range({start}, {stop}) t(i)))"""


def make_db(path: Path, rows: int) -> None:
    assert 0 < rows <= MAX_ROWS, f"--rows must be in 1..{MAX_ROWS}"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA raw")
        for t in TABLES:
            con.execute(f"CREATE TABLE raw.{t} ({DDL})")
        con.execute(f"INSERT INTO raw.trade_flows {gen_sql(0, rows)}")
        con.execute(f"INSERT INTO raw.trade_flows_bad {gen_sql(0, min(rows, BAD_BASE_ROWS))}")
        # Bad rows (copies of generated rows i=0..3): negative value under a new key,
        # exact duplicate key of i=1, unknown flow, lower-case reporter.
        con.execute(
            f"""INSERT INTO raw.trade_flows_bad {
                gen_sql(
                    0,
                    4,
                    product_code=f"CASE WHEN i = 0 THEN 'NEG00001' ELSE {EXPR['product_code']} END",
                    value_eur=f"CASE i WHEN 0 THEN -5.0 WHEN 1 THEN 42.0 ELSE {EXPR['value_eur']} END",
                    flow=f"CASE WHEN i = 2 THEN 're-export' ELSE {EXPR['flow']} END",
                    reporter_code=f"CASE WHEN i = 3 THEN 'de' ELSE {EXPR['reporter_code']} END",
                )
            }"""
        )
        assert [
            c
            for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = 'trade_flows' ORDER BY column_index"
            ).fetchall()
        ] == COLUMNS
        dups = con.execute(f"SELECT count(*) - count(DISTINCT ({', '.join(KEY)})) FROM raw.trade_flows").fetchone()[0]
        assert dups == 0, "generator produced duplicate keys"


def build_suite(gx, gxe):
    exps = [gxe.ExpectTableColumnsToMatchOrderedList(column_list=COLUMNS)]
    exps += [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in KEY]
    exps += [
        gxe.ExpectColumnValuesToBeInSet(column="flow", value_set=["import", "export"]),
        gxe.ExpectColumnValuesToBeInSet(column="period_freq", value_set=["M", "A"]),
        gxe.ExpectColumnValuesToMatchRegex(column="reporter_code", regex=r"^[A-Z0-9_]+$"),
        gxe.ExpectColumnValuesToBeBetween(column="value_eur", min_value=0),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=KEY),
        gxe.ExpectColumnValuesToBeBetween(
            column="period_start",
            min_value=datetime(1988, 1, 1),
            max_value=datetime.combine(date.today(), datetime.min.time()),
        ),
        gxe.ExpectColumnMaxToBeBetween(column="value_eur", max_value=1e12, strict_max=True),
        # Type names are backend-specific: numpy dtype for pandas, SQLAlchemy class for SQL.
        gxe.ExpectColumnValuesToBeInTypeList(column="value_eur", type_list=["float64", "DOUBLE"]),
    ]
    suite = gx.ExpectationSuite(name="raw_trade_flows")
    for e in exps:
        suite.add_expectation(e)
    return suite


def label(r) -> str:
    cfg = r.expectation_config
    col = cfg.kwargs.get("column") or ("key" if "compound" in cfg.type else "table")
    return f"{cfg.type.removeprefix('expect_')}[{col}]"


def describe(r) -> str:
    """One line per expectation result: ok/FAIL/ERROR plus the useful detail."""
    res, exc = r.result or {}, r.exception_info or {}
    # On metric failures GE 1.x nests exception_info by MetricConfigurationID.
    errors = [exc] if "raised_exception" in exc else [v for v in exc.values() if isinstance(v, dict)]
    errors = [e for e in errors if e.get("raised_exception")]
    if errors:
        msgs = dict.fromkeys(" ".join(str(e.get("exception_message")).split())[:75] for e in errors)
        return f"  ERROR {label(r):<52} {' | '.join(msgs)}"
    if "unexpected_count" in res:
        detail = (
            f"unexpected={res['unexpected_count']} partial_unexpected_list={res.get('partial_unexpected_list', [])[:4]}"
        )
    else:
        detail = f"observed={str(res.get('observed_value'))[:70]}"
    return f"  {'ok   ' if r.success else 'FAIL '} {label(r):<52} {detail}"


def rss_mb(field: str = "VmHWM") -> float:
    """Peak (VmHWM) or current (VmRSS) RSS in MiB, Linux only. Not getrusage's ru_maxrss:
    that high-water mark survives fork+exec, so workers would inherit the parent's peak."""
    return int(re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text())[1]) / 1024


def reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def guard_network() -> list:
    """Fail loudly (and record) if anything in the worker tries to open a socket."""
    import socket

    attempts: list = []

    def refuse(self, address, *a, **k):
        attempts.append(address)
        raise OSError(f"benchmark forbids network access (tried {address!r})")

    socket.socket.connect = socket.socket.connect_ex = refuse
    return attempts


def worker(engine: str, db: str) -> None:
    attempts = guard_network()
    t = time.perf_counter()
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    print(f"\n=== {engine}: GE {gx.__version__}; import {time.perf_counter() - t:.2f}s (not in wall times)")
    logging.getLogger("great_expectations").setLevel(logging.CRITICAL)  # errors are in the results
    if "persisted" in engine:
        # PRIVATE API: make GE keep one StaticPool connection open for duckdb, as it does
        # for sqlite. Entries must == the dialect name and carry .value (a str subclass).
        import great_expectations.execution_engine.sqlalchemy_execution_engine as sae

        class _DuckDB(str):
            value = "duckdb"

        sae._PERSISTED_CONNECTION_DIALECTS = (*sae._PERSISTED_CONNECTION_DIALECTS, _DuckDB("duckdb"))

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    suite = context.suites.add(build_suite(gx, gxe))
    for table in TABLES:
        reset_peak_rss()
        rss0, t0 = rss_mb("VmRSS"), time.perf_counter()
        extra = ""
        if engine == "pandas":
            with duckdb.connect(db, read_only=True) as con:
                df = con.sql(f"SELECT * FROM raw.{table}").df()
            extra = (
                f", fetch {time.perf_counter() - t0:.2f}s,"
                f" DataFrame {df.memory_usage(deep=True).sum() / 2**20:.0f} MiB deep"
            )
            source = context.data_sources.add_pandas(name=f"pandas_{table}")
            batch_def = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("all")
            params = {"dataframe": df}
        else:
            source = context.data_sources.add_sql(name=f"duckdb_{table}", connection_string=f"duckdb:///{db}")
            if engine.endswith("_query"):  # raw SQL asset: sidesteps schema-less reflection fallback
                asset = source.add_query_asset(name=table, query=f"SELECT * FROM raw.{table}")
            else:
                asset = source.add_table_asset(name=table, table_name=table, schema_name="raw")
            batch_def = asset.add_batch_definition_whole_table("all")
            params = None
        vd = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{engine}_{table}", data=batch_def, suite=suite)
        )
        t1 = time.perf_counter()
        result = vd.run(batch_parameters=params, result_format="SUMMARY")
        t2 = time.perf_counter()
        passed = sum(r.success for r in result.results)
        print(
            f"--- {engine} / raw.{table}: success={result.success} ({passed}/{len(result.results)} ok)  "
            f"wall {t2 - t0:.2f}s (validate {t2 - t1:.2f}s{extra}); "
            f"RSS {rss0:.0f} MiB before, peak {rss_mb():.0f} MiB (+{rss_mb() - rss0:.0f})"
        )
        results = sorted(result.results, key=label)
        for r in results:
            print(describe(r))
        if table == "trade_flows_bad":
            caught = {label(r) for r in results if not r.success and (r.result or {}).get("unexpected_count")}
            print(
                f"bad-row check: caught {len(caught & BAD_EXPECTED)}/{len(BAD_EXPECTED)} with samples; "
                f"missed {sorted(BAD_EXPECTED - caught) or 'none'}"
            )
        sys.stdout.flush()
    print(f"network connection attempts: {len(attempts)} {attempts[:3]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000, help="synthetic rows in raw.trade_flows")
    ap.add_argument("--engines", default=",".join(ENGINES), help=f"subset of {','.join(ENGINES)}")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker, args.db)
    with tempfile.TemporaryDirectory(prefix="bench_ge_") as tmp:
        db = Path(tmp) / "bench.duckdb"
        t = time.perf_counter()
        make_db(db, args.rows)
        print(
            f"SYNTHETIC data: raw.trade_flows = {args.rows:,} generated rows; raw.trade_flows_bad = "
            f"{min(args.rows, BAD_BASE_ROWS):,} rows + 4 injected bad rows (negative value_eur, "
            f"duplicate key, flow 're-export', reporter 'de'). Built in {time.perf_counter() - t:.2f}s; "
            f"file {db.stat().st_size / 2**20:.0f} MiB; duckdb {duckdb.__version__}, "
            f"python {sys.version.split()[0]}"
        )
        for engine in args.engines.split(","):
            subprocess.run([sys.executable, __file__, "--worker", engine, "--db", str(db)], check=False)


if __name__ == "__main__":
    main()
