"""`kzeu`: build, query and inspect the warehouse, write its report, or open the Dagster UI.

Every command exits non-zero with a one-line reason on failure.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipelines.settings import (
    DBT_EXECUTABLE,
    DBT_PROJECT_DIR,
    DBT_TARGET_DIR,
    REPO_ROOT,
    load_settings,
    quiet_environment,
)


class CommandError(Exception):
    """A failure the user can act on; shown as one line."""


def parse_dbt_project() -> None:
    """Write dbt's manifest, which the Dagster definitions read at import."""
    result = subprocess.run(
        [
            DBT_EXECUTABLE,
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(DBT_TARGET_DIR),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise CommandError(f"dbt parse failed: {(result.stdout + result.stderr).strip().splitlines()[-1:]}")


def cmd_build(args) -> None:
    parse_dbt_project()
    import dagster as dg

    from pipelines.definitions import defs

    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    # dbt's own log lines are echoed by dagster-dbt; they are kept in the run history.
    quiet = contextlib.nullcontext() if args.verbose else contextlib.redirect_stdout(io.StringIO())
    with dg.DagsterInstance.get() as instance, quiet:
        result = defs.resolve_job_def("build_warehouse").execute_in_process(
            instance=instance,
            raise_on_error=False,
            # The full log is in the run's history (Dagster UI); the terminal gets the one-line reason.
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL" if not args.verbose else "DEBUG"}}}},
        )
    if not result.success:
        raise CommandError(_first_failure(result) + " (the published warehouse was left as it was)")
    print_summary(load_settings())


def _first_failure(result) -> str:
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.event_specific_data.error
            message = (error.cause or error).message if error else event.message
            reason = re.sub(r"^[\w.]+(Error|Exception): ", "", message.strip().splitlines()[-1])
            return f"step {event.step_key} failed: {reason}"
        if event.event_type_value == "ASSET_CHECK_EVALUATION" and not event.event_specific_data.passed:
            data = event.event_specific_data
            return f"check {data.check_name} failed on {data.asset_key.to_user_string()}: {data.description}"
    return "the build failed"


def print_summary(settings) -> None:
    from pipelines.core.warehouse import read_connection

    with read_connection(settings) as con:
        tables = con.execute(
            "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() "
            "WHERE schema_name IN ('raw', 'marts', 'audit') ORDER BY 1, 2"
        ).fetchall()
        checks = con.execute(
            "SELECT suite, success, evaluated, failed FROM audit.validation_results "
            "QUALIFY row_number() OVER (PARTITION BY suite ORDER BY run_at DESC) = 1"
        ).fetchall()
    print(f"\nWarehouse published: {settings.warehouse}")
    print("Tables (rows):")
    for schema, table, rows in tables:
        print(f"  {schema + '.' + table:<44} {rows:>9,}")
    print("Validation (latest run per suite):")
    for suite, success, evaluated, failed in checks:
        print(f"  {suite}: {'passed' if success else 'FAILED'} ({evaluated - failed}/{evaluated} expectations)")
    print("(audit.* tables grow by one row per file and per suite on every build; data tables do not.)")
    print(
        'Query it:   .venv/bin/kzeu query "SELECT * FROM marts.fct_trade_balance_annual '
        "WHERE reporter_code = 'EU27_2020' AND partner_code = 'KZ' ORDER BY year\""
    )
    print(f"            duckdb -readonly {settings.warehouse}")
    print("Dagster UI: make ui   (http://127.0.0.1:3000)")


def cmd_query(args) -> None:
    import duckdb

    from pipelines.core.warehouse import read_connection

    settings = load_settings()
    with read_connection(settings) as con:
        try:
            relation = con.sql(args.sql)
        except duckdb.Error as exc:
            raise CommandError(str(exc).splitlines()[0]) from exc
        if relation is None:
            raise CommandError("the statement returned no result: give a query (SELECT, FROM, SHOW, ...)")
        frame = relation.df()
        # nullable integer columns print <NA>; as floats they print like the others (NULL, no decimals)
        frame = frame.apply(lambda c: c.astype("float64") if str(c.dtype).startswith(("Int", "UInt")) else c)
        if args.csv:
            frame.to_csv(sys.stdout, index=False)
        else:
            print(frame.to_string(index=False, max_rows=args.max_rows, float_format=_plain_number, na_rep="NULL"))


def _plain_number(value: float) -> str:
    """Euro amounts in full (no 1.75e+10), shares and ratios with six significant digits."""
    if value != value:  # NaN
        return "NULL"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.6g}"


def cmd_status(args) -> None:
    from pipelines.core.warehouse import read_connection

    settings = load_settings()
    if not settings.warehouse.exists():
        raise CommandError(f"no published warehouse at {settings.warehouse}: run `make run`")
    print(f"Published warehouse: {settings.warehouse} ({settings.warehouse.stat().st_size / 2**20:.1f} MiB)")
    print(f"Raw folder:          {settings.raw_dir}")
    with read_connection(settings) as con:
        print("\nLatest load per file:")
        print(
            con.sql(
                # rows held: those of the file's last real load (an 'unchanged' load reads nothing)
                "SELECT file, status, last_value(CASE WHEN status = 'loaded' THEN rows_kept END IGNORE NULLS) "
                "OVER (PARTITION BY file ORDER BY loaded_at "
                "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS rows_held, "
                "left(sha256, 12) AS sha256, loaded_at FROM audit.load_log "
                "QUALIFY row_number() OVER (PARTITION BY file ORDER BY loaded_at DESC) = 1 ORDER BY file"
            )
            .df()
            .to_string(index=False)
        )
        print("\nLatest validation per suite:")
        print(
            con.sql(
                "SELECT suite, table_name, success, evaluated, failed, run_at FROM audit.validation_results "
                "QUALIFY row_number() OVER (PARTITION BY suite ORDER BY run_at DESC) = 1"
            )
            .df()
            .to_string(index=False)
        )
    _report_failed_build(settings)
    print_summary(settings) if args.verbose else None


def _report_failed_build(settings) -> None:
    """A rejected load is recorded in the build copy only (never published): say so here."""
    import duckdb

    if not settings.build_warehouse.exists():
        return
    try:
        with duckdb.connect(str(settings.build_warehouse), read_only=True) as con:
            rejected = con.execute(
                "SELECT loaded_at, message FROM audit.load_log WHERE status = 'rejected' "
                "AND loaded_at >= (SELECT max(loaded_at) FROM audit.load_log) ORDER BY loaded_at DESC LIMIT 1"
            ).fetchall()
    except duckdb.Error:
        print("\nA build is running (the build copy is locked).")
        return
    if rejected:
        print(f"\nThe last build was rejected at {rejected[0][0]:%Y-%m-%d %H:%M}: {rejected[0][1]}")


def cmd_ui(args) -> None:
    parse_dbt_project()
    command = [
        str(Path(sys.executable).parent / "dagster"),
        "dev",
        "-m",
        "pipelines.definitions",
        "--host",
        args.host,
        "--port",
        str(args.port),
    ]
    # A background start inherits ignored SIGINT/SIGTERM: restore them so that Ctrl-C and kill work.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # dagster-dbt's prepare_if_dev() calls `dbt` from PATH: this environment's dbt first.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    os.chdir(REPO_ROOT)
    os.execv(command[0], command)


def cmd_docs(args) -> None:
    """dbt's static docs site (the column catalogue): one self-contained HTML file, made offline.

    The catalogue is read from a temporary copy of the published warehouse: the published file is
    never opened by dbt, and a build holding the build copy is neither blocked nor seen half-done.
    """
    settings = load_settings()
    if not settings.warehouse.exists():
        raise CommandError(f"no published warehouse at {settings.warehouse}: run `make run` first")
    out = Path(args.out).resolve() if args.out else settings.warehouse.parent / "dbt-docs" / "static_index.html"
    with tempfile.TemporaryDirectory(prefix="kzeu-docs-") as tmp:
        copy, target = Path(tmp) / settings.warehouse.name, Path(tmp) / "target"
        shutil.copyfile(settings.warehouse, copy)  # a publish renames over the file: the copy is one whole build
        result = subprocess.run(
            [
                DBT_EXECUTABLE,
                "docs",
                "generate",
                "--static",
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(target),
                "--vars",
                json.dumps({"build_warehouse": str(copy)}),
            ],
            capture_output=True,
            text=True,
        )
        site = target / "static_index.html"
        if result.returncode != 0 or not site.exists():
            lines = [line.strip() for line in (result.stdout + result.stderr).splitlines() if line.strip()]
            raise CommandError(f"dbt docs generate failed: {lines[-1] if lines else f'exit {result.returncode}'}")
        out.parent.mkdir(parents=True, exist_ok=True)
        temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        shutil.copyfile(site, temporary)
        os.replace(temporary, out)  # a browser holding the old page never sees half a file
    print(out)


def cmd_report(args) -> None:
    """The HTML report of the published warehouse (read-only), one file that works offline."""
    from pipelines.report import ReportError, write_report

    settings = load_settings()
    out = Path(args.out).resolve() if args.out else settings.warehouse.parent / "report.html"
    try:
        path = write_report(settings.warehouse, out)
    except ReportError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from exc
    print(path)


def _date_range(text: str, option: str, fmt: str, shape: str) -> tuple:
    """'A' or 'A..B' in `fmt` -> (first, last) dates; a one-line error naming the option otherwise."""
    first, _, last = text.partition("..")
    try:
        return tuple(datetime.strptime(t.strip(), fmt).date() for t in (first, last or first))
    except ValueError as exc:
        raise CommandError(f"{option} {text!r}: expected {shape} or {shape}..{shape}") from exc


def month_range(text: str) -> list[str]:
    """'2024-03' or '2024-01..2024-03' -> monthly partition keys ['2024-01-01', ...]."""
    start, end = _date_range(text, "--months", "%Y-%m", "YYYY-MM")
    keys = []
    while start <= end:
        keys.append(start.isoformat())
        start = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return keys


def day_range(text: str) -> list[str]:
    """'2024-03-15' or '2024-03-01..2024-03-03' -> daily partition keys."""
    start, end = _date_range(text, "--days", "%Y-%m-%d", "YYYY-MM-DD")
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def cmd_refresh(args) -> None:
    """Download from the publishers (the schedules' jobs, one partition at a time), then build."""
    today = datetime.now(UTC).date()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    months = month_range(args.months) if args.months else [last_month.isoformat()]
    days = day_range(args.days) if args.days else [(today - timedelta(days=1)).isoformat()]
    parse_dbt_project()
    import dagster as dg

    from pipelines.definitions import defs

    runs = []
    if args.source in ("eurostat", "all"):
        runs += [("download_eurostat_month", key) for key in months]
    if args.source in ("gdelt", "all"):
        runs += [("download_gdelt_day", key) for key in days]
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    with dg.DagsterInstance.get() as instance:
        for job, key in runs:
            result = defs.resolve_job_def(job).execute_in_process(
                instance=instance,
                partition_key=key,
                raise_on_error=False,
                run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
            )
            if not result.success:
                raise CommandError(f"{job} {key[:10]}: {_first_failure(result)} (nothing was built or published)")
            print(f"{job} {key[:10]}: done")
    if not args.no_build:
        cmd_build(argparse.Namespace(verbose=False))


def main(argv: list[str] | None = None) -> int:
    quiet_environment()
    parser = argparse.ArgumentParser(prog="kzeu", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="land raw/, validate, run dbt, publish; print a summary")
    build.add_argument("-v", "--verbose", action="store_true", help="stream the full run log")
    build.set_defaults(func=cmd_build)
    query = sub.add_parser("query", help="run SQL on the published warehouse (read-only)")
    query.add_argument("sql")
    query.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    query.add_argument("--max-rows", type=int, default=200)
    query.set_defaults(func=cmd_query)
    status = sub.add_parser("status", help="what is published: files, loads, validations")
    status.add_argument("-v", "--verbose", action="store_true")
    status.set_defaults(func=cmd_status)
    ui = sub.add_parser("ui", help="the Dagster UI (loopback only unless --host)")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    refresh = sub.add_parser("refresh", help="download from Eurostat and GDELT into raw/, then build")
    refresh.add_argument("--source", choices=("eurostat", "gdelt", "all"), default="all")
    refresh.add_argument("--months", help="YYYY-MM or YYYY-MM..YYYY-MM (default: last month)")
    refresh.add_argument("--days", help="YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD (default: yesterday, UTC)")
    refresh.add_argument("--no-build", action="store_true", help="download only")
    refresh.set_defaults(func=cmd_refresh)
    docs = sub.add_parser("docs", help="write dbt's static docs site (the column catalogue); print its path")
    docs.add_argument("--out", help="the HTML file to write (default: warehouse/dbt-docs/static_index.html)")
    docs.set_defaults(func=cmd_docs)
    report = sub.add_parser("report", help="write the HTML report of the published warehouse; print its path")
    report.add_argument("--out", help="the HTML file to write (default: warehouse/report.html)")
    report.set_defaults(func=cmd_report)
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except (CommandError, FileNotFoundError) as exc:
        print(f"kzeu {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
