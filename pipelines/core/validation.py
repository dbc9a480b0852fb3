"""Run an expectation suite with Great Expectations Core 1.x on a pandas batch.

Why pandas and not GE's SQL datasource on DuckDB: see README "Validation" (measured in
benchmarks/bench_validation_engines.py). The choice lives here only.
GE is imported inside the function: it costs seconds, and the Dagster UI loads this package.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


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


def run_suite(suite_name: str, frame: pd.DataFrame, expectations: list[tuple[str, dict]], locator: list[str]) -> SuiteOutcome:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    started = time.perf_counter()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
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
    locator = [c for c in locator if c in frame.columns]
    result = validation.run(
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5, "unexpected_index_column_names": locator},
    )
    failed = [_outcome(r) for r in result.results if not r.success]
    return SuiteOutcome(suite_name, bool(result.success), len(result.results), failed, time.perf_counter() - started)


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
