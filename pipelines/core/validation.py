"""Run an expectation suite with Great Expectations Core 1.x on a pandas batch.

Why pandas and not GE's SQL datasource on DuckDB: see docs/quality.md (measured in
benchmarks/bench_validation_engines.py). The choice lives here only.
GE is imported inside the function: it costs seconds, and the Dagster UI loads this package.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from pipelines.core.domain import Suite


@dataclass
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int | None = None
    samples: list = field(default_factory=list)  # failing rows (locator columns) or values
    error: str | None = None


@dataclass
class SuiteOutcome:
    suite: str
    success: bool
    evaluated: int
    failed: list[ExpectationOutcome]
    run_seconds: float


def run_suite(
    suite_name: str, frame: pd.DataFrame, expectations: list[tuple[str, dict]], locator: list[str]
) -> SuiteOutcome:
    """One suite over one batch."""
    return run_suite_batches(suite_name, [frame], expectations, locator)[0]


def run_suite_batches(
    suite_name: str, frames: Iterable[pd.DataFrame], expectations: list[tuple[str, dict]], locator: list[str]
) -> list[SuiteOutcome]:
    """One suite over each batch in turn: one outcome per batch, as if each were run on its own.

    The context, suite and validation definition are made once: building them (GE serialises every
    expectation as it is added) cost about a fifth of a suite's time when it was done per batch.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    # Analytics off in the context's own config: nothing leaves the machine, no environment changed.
    config = DataContextConfig(analytics_enabled=False, store_backend_defaults=InMemoryStoreBackendDefaults())
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # logs stay readable
    suite = context.suites.add(gx.ExpectationSuite(name=suite_name))
    for class_name, kwargs in expectations:
        suite.add_expectation(getattr(gx.expectations, class_name)(**kwargs))
    batch_definition = (
        context.data_sources.add_pandas(f"{suite_name}_source")
        .add_dataframe_asset(f"{suite_name}_rows")
        .add_batch_definition_whole_dataframe("all_rows")
    )
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{suite_name}_validation", data=batch_definition, suite=suite)
    )
    outcomes = []
    for frame in frames:
        started = time.perf_counter()
        result = validation.run(
            batch_parameters={"dataframe": frame},
            result_format={
                "result_format": "SUMMARY",
                "partial_unexpected_count": 5,
                "unexpected_index_column_names": [c for c in locator if c in frame.columns],
            },
        )
        failed = [_outcome(r) for r in result.results if not r.success]
        outcomes.append(
            SuiteOutcome(suite_name, bool(result.success), len(result.results), failed, time.perf_counter() - started)
        )
    return outcomes


def _outcome(r) -> ExpectationOutcome:
    config = r.expectation_config
    details = r.result or {}
    samples = details.get("partial_unexpected_index_list") or details.get("partial_unexpected_list") or []
    if not samples and details.get("observed_value") is not None:
        samples = [{"observed_value": details["observed_value"]}]
    error = None
    if r.exception_info and r.exception_info.get("raised_exception"):
        error = str(r.exception_info.get("exception_message"))[:300]
    return ExpectationOutcome(
        expectation=config.type,
        column=config.kwargs.get("column") or ",".join(config.kwargs.get("column_list", []) or []) or None,
        success=False,
        unexpected_count=details.get("unexpected_count"),
        samples=[_plain(s) for s in samples[:5]],
        error=error,
    )


def _plain(value):
    """JSON-friendly sample (timestamps and numpy scalars to str/float)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)


VALIDATION_DDL = """
CREATE TABLE IF NOT EXISTS audit.validation_results (
    suite VARCHAR, table_name VARCHAR, success BOOLEAN, evaluated INTEGER, failed INTEGER,
    run_at TIMESTAMP, run_seconds DOUBLE, failures_json VARCHAR
)"""


def record_validation(con, suite: str, table: str, outcome, run_at: datetime) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    con.execute(VALIDATION_DDL)
    failures = [
        {
            "expectation": f.expectation,
            "column": f.column,
            "unexpected_count": f.unexpected_count,
            "samples": f.samples,
            "error": f.error,
        }
        for f in outcome.failed
    ]
    con.execute(
        "INSERT INTO audit.validation_results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            suite,
            table,
            outcome.success,
            outcome.evaluated,
            len(outcome.failed),
            run_at,
            round(outcome.run_seconds, 3),
            json.dumps(failures, default=str),
        ],
    )


def combine(suite: str, outcomes: list[SuiteOutcome]) -> SuiteOutcome:
    """One outcome for a suite run over several batches: an expectation fails if it fails anywhere."""
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


def validate_raw_table(con, table: str, suite_name: str, suite: Suite) -> tuple[SuiteOutcome, int, int]:
    """Run `suite` over a landed raw table and record the run in audit.validation_results.

    One pandas batch per landed file: every expectation is per file (keys include _source_file), and
    memory stays bounded by the largest file, not the table. Returns (outcome, files, rows validated).
    """
    run_at = datetime.now(UTC).replace(tzinfo=None)
    rows = 0
    files = [r[0] for r in con.execute(f"SELECT DISTINCT _source_file FROM {table} ORDER BY 1").fetchall()]

    def frames():
        nonlocal rows
        for file in files or [None]:
            where = "WHERE _source_file = ?" if file else ""
            frame = con.execute(f"SELECT * FROM {table} {where}", [file] if file else []).df()
            rows += len(frame)
            yield frame  # one file's rows in memory at a time

    outcomes = run_suite_batches(suite_name, frames(), suite.expectations(run_at), list(suite.row_locator))
    outcome = combine(suite_name, outcomes)
    record_validation(con, suite_name, table, outcome, run_at)
    return outcome, len(files), rows
