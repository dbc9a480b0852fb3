"""Expectation suites as blocking Dagster asset checks, with an audit row per run.
A failing suite stops every downstream dbt model, and the publish step with them.
"""


import json
from collections.abc import Callable
from datetime import datetime, timezone

import dagster as dg

from pipelines.settings import load_settings
from pipelines.core.warehouse import build_connection
from pipelines.domains.diplomacy.suite import (
    CATALOGUE_ROW_LOCATOR,
    GDELT_ROW_LOCATOR,
    GDELT_TOTALS_ROW_LOCATOR,
    catalogue_expectations,
    gdelt_event_expectations,
    gdelt_total_expectations,
)
from pipelines.domains.energy.suite import ENERGY_ROW_LOCATOR, energy_expectations
from pipelines.domains.trade.suite import ROW_LOCATOR, trade_expectations

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
    from pipelines.core.validation import SuiteOutcome

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
    table: str, expectations: Callable[[datetime], list], locator: list[str], description: str
) -> dg.AssetChecksDefinition:
    """A blocking check named <schema>_<table>_suite on the asset of `table` (raw.x -> ["raw", "x"])."""
    asset_key = dg.AssetKey(table.split("."))
    suite = table.replace(".", "_") + "_suite"

    @dg.asset_check(asset=asset_key, name=suite, blocking=True, description=description)
    def _check() -> dg.AssetCheckResult:
        from pipelines.core.validation import run_suite  # GE loads only when a check runs

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
                outcomes.append(run_suite(suite, frame, expectations(run_at), locator))
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


RAW_SUITES = [
    expectation_suite_check(
        "raw.trade_flows", trade_expectations, ROW_LOCATOR,
        "Great Expectations suite on the landed trade rows: columns and types, non-null keys, flow and "
        "code sets, non-negative and plausible values, one row per key within a file, periods 1988..today.",
    ),
    expectation_suite_check(
        "raw.energy_imports", energy_expectations, ENERGY_ROW_LOCATOR,
        "Great Expectations suite on the landed energy observations: columns, non-null keys, dataset, "
        "code and flag sets, periods in range, one row per key within a file, volumes and values "
        "non-negative, shares within 0..1 (or 0..100 for percentages), cited facts with a source URL.",
    ),
    expectation_suite_check(
        "raw.event_catalogue", catalogue_expectations, CATALOGUE_ROW_LOCATOR,
        "Great Expectations suite on the diplomatic-event catalogue: unique event ids, event types from "
        "the seed vocabulary, date precision day/month/year, dates 1991..today and ordered, a source URL on every row.",
    ),
    expectation_suite_check(
        "raw.gdelt_events", gdelt_event_expectations, GDELT_ROW_LOCATOR,
        "Great Expectations suite on the landed GDELT events: unique event ids within a file, CAMEO codes as "
        "zero-padded strings, QuadClass 1..4, Goldstein within -10..10, tone within -100..100, ISO3 actor "
        "and FIPS geo code shapes, event dates 1979..today.",
    ),
    expectation_suite_check(
        "raw.gdelt_actor_totals", gdelt_total_expectations, GDELT_TOTALS_ROW_LOCATOR,
        "Great Expectations suite on GDELT's per-day actor totals: sides ALL/KZ/EU, non-negative counts, "
        "one row per file, day and side.",
    ),
]


def suite_check(name: str) -> dg.AssetChecksDefinition:
    """The raw suite check of that name (e.g. raw_trade_flows_suite)."""
    return next(check for check in RAW_SUITES if next(iter(check.check_keys)).name == name)
