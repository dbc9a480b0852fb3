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


def combine(suite: str, outcomes: list) -> "SuiteOutcome":
    """One outcome for a suite run over several batches: an expectation fails if it fails anywhere."""
    from .expectations import SuiteOutcome

    failed = {}
    for outcome in outcomes:
        for failure in outcome.failed:
            key = (failure.expectation, failure.column)
            if key in failed:
                failed[key].unexpected_count = (failed[key].unexpected_count or 0) + (failure.unexpected_count or 0)
                failed[key].samples = (failed[key].samples + failure.samples)[:5]
            else:
                failed[key] = failure
    return SuiteOutcome(
        suite=suite,
        success=all(o.success for o in outcomes),
        evaluated=max(o.evaluated for o in outcomes),
        failed=list(failed.values()),
        run_seconds=sum(o.run_seconds for o in outcomes),
    )


def expectation_suite_check(
    asset_key: dg.AssetKey, table: str, suite: str, expectations: Callable[[datetime], list], description: str
) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=asset_key, name=suite, blocking=True, description=description)
    def _check() -> dg.AssetCheckResult:
        from .expectations import run_suite  # GE loads only when a check runs

        settings = load_settings()
        run_at = datetime.now(timezone.utc).replace(tzinfo=None)
        # One pandas batch per landed file: every expectation is per file (keys include
        # _source_file), and memory stays bounded by the largest file, not the table.
        outcomes, rows = [], 0
        with build_connection(settings) as con:
            files = [r[0] for r in con.execute(f"SELECT DISTINCT _source_file FROM {table} ORDER BY 1").fetchall()]
            for file in files or [None]:
                where = "WHERE _source_file = ?" if file else ""
                frame = con.execute(f"SELECT * FROM {table} {where}", [file] if file else []).df()
                rows += len(frame)
                outcomes.append(run_suite(suite, frame, expectations(run_at), ROW_LOCATOR))
            outcome = combine(suite, outcomes)
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
                "files_validated": len(files),
                "rows_validated": rows,
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
