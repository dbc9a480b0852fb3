"""Expectation suites as blocking Dagster asset checks, with an audit row per run.
A failing suite stops every downstream dbt model, and the publish step with them.
"""


import json
from collections.abc import Callable
from datetime import datetime, timezone

import dagster as dg

from ..settings import load_settings
from ..warehouse import build_connection
from .trade_suite import ROW_LOCATOR, trade_expectations

VALIDATION_DDL = """
CREATE TABLE IF NOT EXISTS audit.validation_results (
    suite VARCHAR, table_name VARCHAR, success BOOLEAN, evaluated INTEGER, failed INTEGER,
    run_at TIMESTAMP, run_seconds DOUBLE, failures_json VARCHAR
)"""


def record_validation(con, suite: str, table: str, outcome, run_at: datetime) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    con.execute(VALIDATION_DDL)
    failures = [
        {"expectation": f.expectation, "column": f.column, "unexpected_count": f.unexpected_count,
         "samples": f.samples, "error": f.error}
        for f in outcome.failed
    ]
    con.execute(
        "INSERT INTO audit.validation_results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [suite, table, outcome.success, outcome.evaluated, len(outcome.failed), run_at,
         round(outcome.run_seconds, 3), json.dumps(failures, default=str)],
    )


def expectation_suite_check(
    asset_key: dg.AssetKey, table: str, suite: str, expectations: Callable[[datetime], list], description: str
) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=asset_key, name=suite, blocking=True, description=description)
    def _check() -> dg.AssetCheckResult:
        from .expectations import run_suite  # GE loads only when a check runs

        settings = load_settings()
        run_at = datetime.now(timezone.utc).replace(tzinfo=None)
        with build_connection(settings) as con:
            frame = con.sql(f"SELECT * FROM {table}").df()
        outcome = run_suite(suite, frame, expectations(run_at), ROW_LOCATOR)
        with build_connection(settings) as con:
            record_validation(con, suite, table, outcome, run_at)
        failed = {
            f"{f.expectation}({f.column})": {"unexpected": f.unexpected_count, "samples": f.samples[:3], "error": f.error}
            for f in outcome.failed
        }
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=f"{outcome.evaluated - len(outcome.failed)}/{outcome.evaluated} expectations met",
            metadata={
                "evaluated": outcome.evaluated,
                "failed": len(outcome.failed),
                "rows_validated": len(frame),
                "run_seconds": round(outcome.run_seconds, 2),
                "failed_expectations": dg.MetadataValue.json(failed),
            },
        )

    return _check


raw_trade_flows_suite = expectation_suite_check(
    dg.AssetKey(["raw", "trade_flows"]),
    "raw.trade_flows",
    "raw_trade_flows_suite",
    trade_expectations,
    "Great Expectations suite on the landed trade rows: columns and types, non-null keys, flow and "
    "code sets, non-negative and plausible values, one row per key within a file, periods 1988..today.",
)
