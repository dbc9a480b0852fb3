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
from pipelines.core.large_file_frames import (
    columns_read,
    decided_by_values,
    row_chunks,
    rows_frame,
    value_frame,
    value_frame_rows,
)


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
    """One suite over each batch in turn: one outcome per batch, as if each were run on its own."""
    return run_suite_parts(suite_name, ((frame, expectations) for frame in frames), locator)


def run_suite_parts(
    suite_name: str, parts: Iterable[tuple[pd.DataFrame, list[tuple[str, dict]]]], locator: list[str]
) -> list[SuiteOutcome]:
    """Each batch with its own expectations (a subset of the suite's): one outcome per batch.

    One context for all of them, and one suite and validation definition per distinct set of
    expectations: building them (GE serialises every expectation as it is added) cost about a fifth
    of a suite's time when it was done per batch.
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
    batch_definition = (
        context.data_sources.add_pandas(f"{suite_name}_source")
        .add_dataframe_asset(f"{suite_name}_rows")
        .add_batch_definition_whole_dataframe("all_rows")
    )
    validations: dict[str, object] = {}

    def validation_for(expectations: list[tuple[str, dict]]):
        key = json.dumps(expectations, default=str, sort_keys=True)
        if key not in validations:
            name = suite_name if not validations else f"{suite_name}_{len(validations)}"
            suite = context.suites.add(gx.ExpectationSuite(name=name))
            for class_name, kwargs in expectations:
                suite.add_expectation(getattr(gx.expectations, class_name)(**kwargs))
            validations[key] = context.validation_definitions.add(
                gx.ValidationDefinition(name=f"{name}_validation", data=batch_definition, suite=suite)
            )
        return validations[key]

    outcomes = []
    for frame, expectations in parts:
        started = time.perf_counter()
        result = validation_for(expectations).run(
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


# Expectations decided row by row (or by the table's columns, which every file shares): over several
# files' rows at once they fail exactly where they fail on one of the files, with the same unexpected
# rows. Anything else (row counts, proportions, uniqueness without `_source_file` in the key, any
# `mostly`) is an aggregate and runs on each file's rows alone.
ROW_WISE = frozenset(
    {
        "ExpectColumnValuesToNotBeNull",
        "ExpectColumnValuesToBeInSet",
        "ExpectColumnValuesToMatchRegex",
        "ExpectColumnValuesToBeBetween",
        "ExpectColumnValuesToBeOfType",
        "ExpectColumnPairValuesAToBeGreaterThanB",
        "ExpectColumnPairValuesToBeInSet",
        "ExpectTableColumnsToMatchOrderedList",
    }
)


def is_row_wise(class_name: str, kwargs: dict) -> bool:
    """Whether an expectation's verdict over several files' rows is the verdict of each file's alone."""
    if "mostly" in kwargs:
        return False
    if class_name == "ExpectCompoundColumnsToBeUnique":  # unique within a file: the file is part of the key
        return "_source_file" in kwargs.get("column_list", ())
    return class_name in ROW_WISE


# Rows per batch of several files: memory stays bounded (a larger file is a batch of its own).
BATCH_ROWS = 500_000


def file_batches(files: list[tuple[str, int]], limit: int = BATCH_ROWS) -> list[list[str]]:
    """Consecutive files grouped into batches of at most `limit` rows (a larger file alone)."""
    batches: list[list[str]] = []
    rows = 0
    for file, count in files:
        if batches and rows + count <= limit:
            batches[-1].append(file)
            rows += count
        else:
            batches.append([file])
            rows = count
    return batches


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


def combine(suite: str, outcomes: list[SuiteOutcome], evaluated: int | None = None) -> SuiteOutcome:
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
        evaluated=evaluated if evaluated is not None else max(o.evaluated for o in outcomes),
        failed=list(failed.values()),
        run_seconds=sum(o.run_seconds for o in outcomes),
    )


def _key(class_name: str, kwargs: dict) -> tuple[str, str | None]:
    """An expectation as ExpectationOutcome names it: (GE's snake_case type, its column or columns)."""
    snake = "".join("_" + c.lower() if c.isupper() else c for c in class_name).lstrip("_")
    return snake, kwargs.get("column") or ",".join(kwargs.get("column_list", []) or []) or None


def _failed_keys(outcome: SuiteOutcome) -> set[tuple[str, str | None]]:
    return {(f.expectation, f.column) for f in outcome.failed}


def landed_files(con, table: str) -> list[tuple[str, str, int]]:
    """(file, sha256, rows) of every file a raw table holds, in file order."""
    return [
        tuple(r)
        for r in con.execute(
            f"SELECT _source_file, _source_sha256, count(*) FROM {table} GROUP BY ALL ORDER BY 1"
        ).fetchall()
    ]


def validate_raw_table(
    con, table: str, suite_name: str, suite: Suite, only: Iterable[str] | None = None
) -> tuple[SuiteOutcome, int, int]:
    """Run `suite` over a landed raw table (or only over the files in `only`) and record the run in
    audit.validation_results. Returns (outcome, files, rows validated).

    Every expectation of a suite holds per file (uniqueness keys include `_source_file`): the
    row-wise expectations run over batches of several files' rows (up to BATCH_ROWS), the others on
    each file's rows alone. The outcome is the one of a run file by file: the same verdicts, the
    same unexpected counts. GE's cost is mostly per batch and expectation, not per row: 30 small
    workbooks took 9 CPU s file by file, 1 CPU s in one batch. A file larger than a batch is never
    loaded whole: its expectations run on its value frame and on the few columns the others read
    (pipelines/core/large_file_frames.py), with the same verdicts and counts.
    """
    run_at = datetime.now(UTC).replace(tzinfo=None)
    expectations = suite.expectations(run_at)
    row_wise = [e for e in expectations if is_row_wise(*e)]
    per_file = [e for e in expectations if not is_row_wise(*e)]
    wanted = None if only is None else set(only)
    files = [(f, n) for f, _, n in landed_files(con, table) if wanted is None or f in wanted]
    rows = sum(n for _, n in files)

    def rows_of(names: list[str] | None) -> pd.DataFrame:
        if names is None:  # an empty table: one empty batch, so that its row count fails as before
            return con.execute(f"SELECT * FROM {table}").df()
        marks = ", ".join("?" for _ in names)
        return con.execute(f"SELECT * FROM {table} WHERE _source_file IN ({marks})", names).df()

    sizes = dict(files)
    kinds: list[tuple[str, str | None]] = []  # per part: ("values", file) for a large file's value frame

    def parts():
        if not files:
            kinds.append(("rows", None))
            yield rows_of(None), expectations
            return
        for batch in file_batches(files, BATCH_ROWS):  # one batch's rows in memory at a time
            if len(batch) == 1 and sizes[batch[0]] > BATCH_ROWS:
                yield from large_file_parts(batch[0])
                continue
            frame = rows_of(batch)
            if row_wise:
                kinds.append(("rows", None))
                yield frame, row_wise
            if per_file:
                for file in batch:
                    kinds.append(("rows", None))
                    yield (frame if len(batch) == 1 else frame[frame["_source_file"] == file]), per_file

    def large_file_parts(file: str):
        by_values = [e for e in expectations if decided_by_values(*e)]
        by_rows = [e for e in expectations if not decided_by_values(*e)]
        if by_values and value_frame_rows(con, table, file, by_values) <= BATCH_ROWS:
            kinds.append(("values", file))
            yield value_frame(con, table, file, by_values), by_values
        elif by_values:  # as many distinct values as rows: the rows themselves, a chunk at a time
            for chunk in row_chunks(con, table, file, BATCH_ROWS):
                kinds.append(("rows", None))
                yield chunk, by_values
        if table_level := [e for e in by_rows if not columns_read(e[1])]:
            kinds.append(("rows", None))  # a row count: the file's length, no column (GE: 0.4 s, not 5)
            yield pd.DataFrame(index=pd.RangeIndex(sizes[file])), table_level
        if by_columns := [e for e in by_rows if columns_read(e[1])]:
            kinds.append(("rows", None))
            yield rows_frame(con, table, file, by_columns, list(suite.row_locator)), by_columns

    outcomes = run_suite_parts(suite_name, parts(), list(suite.row_locator))
    for i, (kind, file) in enumerate(kinds):
        if kind == "values" and not outcomes[i].success:  # counts and sample rows from the file's rows
            failing = [e for e in expectations if decided_by_values(*e) and _key(*e) in _failed_keys(outcomes[i])]
            if failing:
                chunks = row_chunks(con, table, file, BATCH_ROWS)
                outcomes[i] = combine(
                    suite_name, run_suite_parts(suite_name, ((c, failing) for c in chunks), list(suite.row_locator))
                )
    outcome = combine(suite_name, outcomes, evaluated=len(expectations))
    record_validation(con, suite_name, table, outcome, run_at)
    return outcome, len(files), rows
