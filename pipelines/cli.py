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
import time
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


def dbt_command(*command: str, target: Path, vars_json: str | None = None) -> list[str]:
    """dbt with this project's folders, quiet."""
    options = ["--quiet", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    options += ["--target-path", str(target)]
    if vars_json:
        options += ["--vars", vars_json]
    return [DBT_EXECUTABLE, *command, *options]


def run_dbt(*command: str, target: Path, vars_json: str | None = None) -> subprocess.CompletedProcess:
    """dbt with this project's folders, quiet, its output captured (callers show its last line on failure)."""
    return subprocess.run(dbt_command(*command, target=target, vars_json=vars_json), capture_output=True, text=True)


def parse_dbt_project() -> None:
    """Write dbt's manifest, which the Dagster definitions read at import; nothing when it is current.

    Parsed with the vars of the build (the build copy's path): the partial-parse file dbt leaves is
    then valid for the build's own `dbt build`, which otherwise parses the whole project again.
    """
    start_dbt_parse()()


def start_dbt_parse():
    """Start `dbt parse` in a process of its own (nothing when the manifest is current) and return the
    function that waits for it: `kzeu build` imports Dagster meanwhile, on the other core."""
    from pipelines.core.build_state import parse_is_current, record_parse, vars_of_build

    settings = load_settings()
    if parse_is_current(settings):
        return lambda: None
    command = dbt_command("parse", target=DBT_TARGET_DIR, vars_json=vars_of_build(settings))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def wait() -> None:
        output, _ = process.communicate()
        if process.returncode != 0:
            raise CommandError(f"dbt parse failed: {output.strip().splitlines()[-1:]}")
        record_parse(settings)

    return wait


def cmd_build(args) -> None:
    from pipelines.core.build_state import FORCE_TAG, nothing_to_build
    from pipelines.domains import raw_folders

    settings = load_settings()
    if not getattr(args, "force", False) and (reason := nothing_to_build(settings, raw_folders())):
        print(f"Nothing to build: {reason}; nothing was published (--force builds anyway).")
        print_summary(settings)
        return
    if not getattr(args, "quiet", False):
        print("Preparing the build: dbt parse, then the pipeline's definitions ...", flush=True)
    parsed = start_dbt_parse()
    # Dagster and dagster-dbt (seconds of imports) load while dbt parses; the definitions need the manifest.
    import dagster as dg
    import dagster_dbt  # noqa: F401

    from pipelines.core.run_history import relax_history_sync

    parsed()
    from pipelines.definitions import defs
    from pipelines.progress import progress_run_config, progress_to

    relax_history_sync()
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    quiet = getattr(args, "quiet", False)
    # dbt's own log lines are echoed by dagster-dbt; they are kept in the run history.
    hush = contextlib.nullcontext() if args.verbose else contextlib.redirect_stdout(io.StringIO())
    run_config = (
        {"loggers": {"console": {"config": {"log_level": "DEBUG"}}}} if args.verbose else progress_run_config(quiet)
    )
    with progress_to(sys.stdout), dg.DagsterInstance.get() as instance, hush:
        # The full log is in the run's history (Dagster UI); the terminal gets a line per step
        # (nothing with --quiet) and the one-line reason.
        result = defs.resolve_job_def("build_warehouse").execute_in_process(
            instance=instance,
            raise_on_error=False,
            tags={FORCE_TAG: "true"} if getattr(args, "force", False) else None,
            run_config=run_config,
        )
    if not result.success:
        raise CommandError(_first_failure(result) + _what_was_published(result))
    print_summary(load_settings())


def _what_was_published(result) -> str:
    """The report step runs after the publish: a failure there leaves a new warehouse without its report."""
    published = any(
        event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key.path == ["warehouse", "published"]
        for event in result.all_events
    )
    if published:
        return " (the warehouse was published; its report was not written: `kzeu report` retries it)"
    return " (the published warehouse was left as it was)"


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
    print("(audit.* tables grow by one row per file, and per suite that ran, with each publish; data tables do not.)")
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


def ui_command(bin_dir: Path, host: str, port: int) -> list[str]:
    """`dg dev` in the project: the code location named kzeu ([tool.dg] in pyproject.toml), this
    virtualenv's Python (no `uv run`), no component YAML to check."""
    return [str(bin_dir / "dg"), "dev", "--use-active-venv", "--no-check-yaml", "--host", host, "--port", str(port)]


def cmd_ui(args) -> None:
    parse_dbt_project()
    bin_dir = Path(sys.executable).parent
    command = ui_command(bin_dir, args.host, args.port)
    # A background start inherits ignored SIGINT/SIGTERM: restore them so that Ctrl-C and kill work.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # dagster-dbt's prepare_if_dev() calls `dbt` from PATH: this environment's dbt first; dg compares
    # the active virtualenv with the project's and warns where they differ.
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ["VIRTUAL_ENV"] = sys.prefix
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
        result = run_dbt(
            "docs", "generate", "--static", target=target, vars_json=json.dumps({"build_warehouse": str(copy)})
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
    runs = []
    if args.source in ("eurostat", "all"):
        runs += [("download_eurostat_month", key) for key in months]
    if args.source in ("gdelt", "all"):
        runs += [("download_gdelt_day", key) for key in days]
    print(f"Preparing {len(runs)} download run(s): dbt parse, then the pipeline's definitions ...", flush=True)
    parsed = start_dbt_parse()
    # Dagster and dagster-dbt (seconds of imports) load while dbt parses; the definitions need the manifest.
    import dagster as dg
    import dagster_dbt  # noqa: F401

    from pipelines.core.run_history import relax_history_sync

    parsed()
    from pipelines.definitions import defs
    from pipelines.progress import connector_messages

    relax_history_sync()
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    with dg.DagsterInstance.get() as instance, connector_messages(sys.stdout):
        for job, key in runs:
            run_download(defs.resolve_job_def(job), instance, key, args.retries, args.retry_wait)
    if not args.no_build:
        cmd_build(argparse.Namespace(verbose=False, quiet=False, force=False))


def run_download(job, instance, key: str, retries: int, wait_s: int) -> None:
    """One partition of a download job, tried 1 + `retries` times `wait_s` apart, saying what it does.

    The run itself retries nothing (the schedules' step retries wait five silent minutes): the HTTP
    client's own quick retries are announced line by line, and the tries after them are made here.
    """
    from pipelines.assets.downloads import STEP_RETRIES_TAG

    label = f"{job.name} {key[:10]}"
    for attempt in range(1, retries + 2):
        print(f"{label}: downloading (try {attempt} of {retries + 1})", flush=True)
        result = job.execute_in_process(
            instance=instance,
            partition_key=key,
            raise_on_error=False,
            tags={STEP_RETRIES_TAG: "0"},
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
        if result.success:
            print(f"{label}: done", flush=True)
            return
        reason = _first_failure(result)
        if attempt > retries:
            tries = f" after {attempt} tries" if attempt > 1 else ""
            raise CommandError(f"{label}{tries}: {reason} (nothing was built or published)")
        at = (datetime.now() + timedelta(seconds=wait_s)).strftime("%H:%M:%S")
        print(f"{label}: {reason}; next try ({attempt + 1} of {retries + 1}) at {at}, in {wait_s} s", flush=True)
        time.sleep(wait_s)


def main(argv: list[str] | None = None) -> int:
    quiet_environment()
    parser = argparse.ArgumentParser(prog="kzeu", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="land raw/, validate, run dbt, publish; print a summary")
    build.add_argument("-v", "--verbose", action="store_true", help="stream the full run log")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress lines: the summary, or the reason")
    build.add_argument("--force", action="store_true", help="validate, build and publish even when nothing changed")
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
    refresh.add_argument(
        "--retries",
        type=int,
        default=0,
        metavar="N",
        help="try a failed download N more times (default 0: fail after the HTTP client's own quick retries)",
    )
    refresh.add_argument("--retry-wait", type=int, default=60, metavar="SECONDS", help="between tries (default 60)")
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
    except BaseException as exc:  # Ctrl-C; inside a Dagster run it becomes Dagster's own interruption
        if not is_interruption(exc):
            raise
        print(interrupted_line(args.command), file=sys.stderr)
        return 130
    return 0


# What an interrupted command left behind, said in its one line.
INTERRUPTED = {
    "build": "the published warehouse was left as it was",
    "refresh": "files already downloaded stay in raw/; the published warehouse was left as it was",
}


def is_interruption(exc: BaseException) -> bool:
    """Ctrl-C, as Python raises it or as Dagster raises it from within a run (without importing Dagster)."""
    return isinstance(exc, KeyboardInterrupt) or type(exc).__name__ == "DagsterExecutionInterruptedError"


def interrupted_line(command: str) -> str:
    return f"kzeu {command}: interrupted (Ctrl-C); {INTERRUPTED.get(command, 'stopped')}"


if __name__ == "__main__":
    sys.exit(main())
