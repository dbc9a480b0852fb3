"""Expectation suites as blocking Dagster asset checks, with an audit row per run.
A failing suite stops every downstream dbt model, and the publish step with them. A table that
holds what passed the suite today under this code version is not validated again
(pipelines/core/build_state.py): the check passes with the last run's figures and says so. Nor is a
landed file the suite passed today under this code version: a new month validates its own file.
"""

from datetime import UTC, datetime

import dagster as dg

from pipelines.core.build_state import (
    code_version,
    file_fingerprint,
    forced,
    record,
    record_validated,
    recorded,
    suite_fingerprint,
    table_columns,
    validated_files,
)
from pipelines.core.domain import Suite
from pipelines.core.validation import landed_files, validate_raw_table
from pipelines.core.warehouse import build_connection
from pipelines.domains import raw_sources
from pipelines.settings import load_settings


def expectation_suite_check(table: str, suite: Suite) -> dg.AssetChecksDefinition:
    """A blocking check named <schema>_<table>_suite on the asset of `table` (raw.x -> ["raw", "x"])."""
    name = table.replace(".", "_") + "_suite"

    @dg.asset_check(asset=dg.AssetKey(table.split(".")), name=name, blocking=True, description=suite.description)
    def _check() -> dg.AssetCheckResult:
        settings = load_settings()
        code = code_version(settings)
        today = datetime.now(UTC).date()
        force = forced(run_tags())
        with build_connection(settings) as con:
            fingerprint = suite_fingerprint(con, table, name, code, today)
            if not force and (recorded(con, f"suite:{name}") or (None,))[0] == fingerprint:
                return unchanged_result(con, table, name)
            # per landed file: a file this suite passed today under this code is not validated again
            columns = table_columns(con, table)
            landed = {
                f: file_fingerprint(code, name, today, columns, f, sha, n) for f, sha, n in landed_files(con, table)
            }
            passed = set() if force else validated_files(con, name)
            todo = {f: fp for f, fp in landed.items() if fp not in passed}
            if landed and not todo:  # files were withdrawn: what is left passed already
                record(con, f"suite:{name}", fingerprint, code)
                return unchanged_result(con, table, name)
            outcome, files, rows = validate_raw_table(
                con, table, name, suite, only=None if len(todo) == len(landed) else list(todo)
            )
            if outcome.success:
                record_validated(con, name, todo)
                record(con, f"suite:{name}", fingerprint, code)
        failed = {
            f"{f.expectation}({f.column})": {
                "unexpected": f.unexpected_count,
                "samples": f.samples[:3],
                "error": f.error,
            }
            for f in outcome.failed
        }
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=f"{outcome.evaluated - len(outcome.failed)}/{outcome.evaluated} expectations met",
            metadata={
                "evaluated": outcome.evaluated,
                "failed": len(outcome.failed),
                "files_validated": files,
                "files_unchanged": len(landed) - len(todo),
                "rows_validated": rows,
                "run_seconds": round(outcome.run_seconds, 2),
                "failed_expectations": dg.MetadataValue.json(failed),
            },
        )

    return _check


def run_tags() -> dict[str, str]:
    """The tags of the run executing the check; none when it is called as a plain function (tests)."""
    try:
        return dict(dg.AssetCheckExecutionContext.get().run.tags)
    except dg.DagsterInvariantViolationError:
        return {}


def unchanged_result(con, table: str, name: str) -> dg.AssetCheckResult:
    """The table holds what passed this suite today under this code version: the last run's verdict stands."""
    last = con.execute(
        "SELECT evaluated, failed, run_at FROM audit.validation_results WHERE suite = ? AND success "
        "ORDER BY run_at DESC LIMIT 1",
        [name],
    ).fetchall()
    evaluated, failed, run_at = last[0] if last else (0, 0, None)
    return dg.AssetCheckResult(
        passed=True,
        severity=dg.AssetCheckSeverity.ERROR,
        description=f"{evaluated - failed}/{evaluated} expectations met (unchanged since the run of {run_at})",
        metadata={"evaluated": evaluated, "failed": failed, "skipped_unchanged": True, "validated_at": str(run_at)},
    )


def raw_suite_checks() -> list[dg.AssetChecksDefinition]:
    """One blocking suite check per landed raw table of the registry."""
    return [
        expectation_suite_check(f"raw.{table}", suite)
        for _, source in raw_sources()
        for table, suite in source.suites.items()
    ]


def suite_check(name: str) -> dg.AssetChecksDefinition:
    """The raw suite check of that name (e.g. raw_trade_flows_suite)."""
    return next(check for check in raw_suite_checks() if next(iter(check.check_keys)).name == name)
