"""The build's own costs: the default build, a no-op build, a new month against a full rebuild, and the
published file's size over repeated builds.

    .venv/bin/python benchmarks/bench_build.py [--builds 10] [--skip-sizes]

Every run works on a site of its own under benchmarks/out/build_site/ (the embedded raw/ snapshot,
warehouse, DAGSTER_HOME and dbt target), each build a fresh process (benchmarks/harness.py):

- `default`: `kzeu build` on a fresh site (no warehouse, no dbt target, no run history): what `make run`
  does after the install;
- `noop`: `kzeu build` again, nothing changed (the CLI's check, before Dagster starts);
- `noop_graph`: the `build_warehouse` job again, nothing changed, through Dagster (what the sensor or
  the UI runs): landing finds every file unchanged, the suites and dbt skip, nothing is published;
- `new_month`: one more file of Comext trade months (a real file of the snapshot left out of the site
  before) lands, its suite on that file, dbt on what is downstream of raw.trade_flows and the
  publish run: `kzeu build`;
- `full_rebuild`: the same raw files built again from nothing (a fresh site, `kzeu build`); the marts of
  `new_month` and `full_rebuild` must be identical (checked, and printed);
- sizes: `kzeu build --force` `--builds` times over unchanged files (every suite, model and test
  runs and publishes), the published file's size after each, against the first build's.

Targets (issue 12): default <= 30 s, no-op <= 10 s, new month <= 15% of a full rebuild, published size
after N builds within 5% of the first. Wall times depend on the other processes on the machine: the
CPU seconds of the build's processes are printed beside them (a child's CPU includes dbt's).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import OUT, ROOT, busy_s, machine_line, print_targets, wait_for_idle

SITES = OUT / "build_site"
KZEU = Path(sys.executable).parent / "kzeu"
# Months of Comext trade that the sites leave out until the `new_month` run drops them in: the member
# states' SDMX months (not the EU's exports since 2019, without which the event study's EPCA-2020
# window is too short and the build rightly fails).
NEW_MONTH = ("trade", "comext_ds045409_7partners_by_member_state_monthly_2020-2022.sdmx.csv.gz")


def site_env(site: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZEU_")}
    env.update(
        KZEU_RAW_DIR=str(site / "raw"),
        KZEU_WAREHOUSE=str(site / "warehouse" / "kzeu.duckdb"),
        DAGSTER_HOME=str(site / "dagster_home"),
        DBT_TARGET_PATH=str(site / "dbt"),
        DBT_LOG_PATH=str(site / "dbt"),
        DO_NOT_TRACK="1",
        GX_ANALYTICS_ENABLED="False",
    )
    return env


def new_site(name: str, leave_out: tuple[str, ...] = ()) -> Path:
    """A fresh site: the embedded raw snapshot (mtimes kept), nothing built."""
    site = SITES / name
    shutil.rmtree(site, ignore_errors=True)
    for folder in (ROOT / "raw").iterdir():
        if folder.is_dir():
            for path in folder.iterdir():
                if path.is_file() and path.name not in leave_out:
                    (site / "raw" / folder.name).mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, site / "raw" / folder.name / path.name)
    return site


def timed(site: Path, *command: str, wait: bool = True) -> dict:
    """One command in a fresh process: wall s, CPU s of it and its children (dbt), CPU used by others."""
    if wait:
        wait_for_idle()
    before, children = busy_s(), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=site_env(site), capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    if done.returncode != 0:  # the whole output kept: each step's time up to the failure
        log = OUT / "bench_build_failed.log"
        log.write_text(done.stdout + done.stderr)
        sys.exit(f"{' '.join(command)} failed in {site} (all of it: {log}):\n{(done.stdout + done.stderr)[-3000:]}")
    return {
        "seconds": seconds,
        "cpu": cpu,
        "other_cpu": max(0.0, busy_s() - before - cpu),
        "peak_mib": after.ru_maxrss / 1024,  # the largest child's peak so far (RUSAGE_CHILDREN)
        "output": done.stdout,
    }


GRAPH_RUN = """
import dagster as dg
from pipelines.core.run_history import relax_history_sync
from pipelines.definitions import defs
relax_history_sync()
with dg.DagsterInstance.get() as instance:
    result = defs.resolve_job_def("build_warehouse").execute_in_process(instance=instance, raise_on_error=False)
    assert result.success
"""


def mart_digests(site: Path) -> dict[str, str]:
    import duckdb

    with duckdb.connect(str(site / "warehouse" / "kzeu.duckdb"), read_only=True) as con:
        marts = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1"
            ).fetchall()
        ]
        rows = {m: con.execute(f"SELECT * FROM marts.{m} ORDER BY ALL").fetchall() for m in marts}
    return {m: hashlib.sha256(repr(r).encode()).hexdigest() for m, r in rows.items()}


def size_mib(site: Path) -> float:
    return (site / "warehouse" / "kzeu.duckdb").stat().st_size / 2**20


def row(name: str, run: dict, note: str = "") -> None:
    print(f"{name:<14} {run['seconds']:8.2f} {run['cpu']:8.2f} {run['other_cpu']:10.2f}  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=10, help="forced builds for the size series")
    parser.add_argument("--skip-sizes", action="store_true", help="leave out the size series (minutes)")
    args = parser.parse_args()
    print(machine_line("duckdb", "dagster"))
    SITES.mkdir(parents=True, exist_ok=True)

    site = new_site("incremental", leave_out=(NEW_MONTH[1],))
    runs = {"default": timed(site, str(KZEU), "build")}
    runs["noop"] = timed(site, str(KZEU), "build")
    assert "Nothing to build" in runs["noop"]["output"], runs["noop"]["output"][:500]
    published = hashlib.sha256((site / "warehouse" / "kzeu.duckdb").read_bytes()).hexdigest()
    runs["noop_graph"] = timed(site, sys.executable, "-c", GRAPH_RUN)
    unchanged = hashlib.sha256((site / "warehouse" / "kzeu.duckdb").read_bytes()).hexdigest() == published
    shutil.copy2(ROOT / "raw" / NEW_MONTH[0] / NEW_MONTH[1], site / "raw" / NEW_MONTH[0] / NEW_MONTH[1])
    runs["new_month"] = timed(site, str(KZEU), "build")

    full = new_site("full")
    runs["full_rebuild"] = timed(full, str(KZEU), "build")
    identical = mart_digests(site) == mart_digests(full)

    print(f"\n{'run':<14} {'wall s':>8} {'CPU s':>8} {'others CPU':>10}")
    row("default", runs["default"], "fresh site: dbt parse, every suite, model and test, publish")
    row("noop", runs["noop"], "kzeu build, nothing changed")
    row("noop_graph", runs["noop_graph"], f"the job through Dagster; published file unchanged: {unchanged}")
    row("new_month", runs["new_month"], f"one more Comext file; marts identical to a full rebuild: {identical}")
    row("full_rebuild", runs["full_rebuild"], "the same raw files from nothing")
    if any(r["other_cpu"] > 0.1 * r["seconds"] + 0.1 for r in runs.values()):
        print("WARNING: other processes used the CPUs during the runs: the wall times are pessimistic")

    checks = [
        ("default build s", runs["default"]["seconds"], "<=", 30),
        ("no-op build s", runs["noop"]["seconds"], "<=", 10),
        ("no-op graph run s", runs["noop_graph"]["seconds"], "<=", 10),
        ("new month / full rebuild", runs["new_month"]["seconds"] / runs["full_rebuild"]["seconds"], "<=", 0.15),
        ("new month marts identical", float(identical), ">=", 1),
        ("no-op publishes nothing", float(unchanged), ">=", 1),
    ]
    if not args.skip_sizes:
        first = size_mib(full)
        sizes = [first]
        for _ in range(args.builds):
            timed(full, str(KZEU), "build", "--force", wait=False)
            sizes.append(size_mib(full))
        print(f"\npublished MiB after each build: {' '.join(f'{s:.1f}' for s in sizes)}")
        checks.append((f"size after {args.builds} builds / first", sizes[-1] / first, "<=", 1.05))
    print_targets(checks)
    for name, run in runs.items():  # each build's progress lines: the time of every step
        (OUT / f"bench_build_{name}.log").write_text(run["output"])
    (OUT / "bench_build.json").write_text(
        json.dumps({k: {x: v for x, v in r.items() if x != "output"} for k, r in runs.items()}, indent=1)
    )


if __name__ == "__main__":
    main()
