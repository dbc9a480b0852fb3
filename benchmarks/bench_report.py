"""Benchmark the HTML report: generation time and file size on the published warehouse.

    python benchmarks/bench_report.py [--repeat 3] [--warehouse warehouse/kzeu.duckdb]

Reads the real published warehouse (`make run` first), read-only, and writes the report to the gitignored
benchmarks/out/report.html. Each run is a fresh process (benchmarks/harness.py) timed from before the
report package is imported to the file written: what `kzeu report` costs a user, Python's own start
aside. A measurement, not a test: prints MISSED for a missed target, always exits 0.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import OUT, ROOT, child_result, machine_line, print_runs, print_targets, run_modes

TARGET_SECONDS, TARGET_MIB = 10.0, 5.0


def child(warehouse: Path) -> None:
    started, cpu_started = time.perf_counter(), time.process_time()
    from pipelines.report import render, write_report

    out = write_report(warehouse, OUT / "report.html")
    bundle_started = time.perf_counter()
    render.vega_bundle()  # cached: ~0 s here; the first call's cost is inside the total
    child_result(
        started,
        cpu_started,
        size_mib=out.stat().st_size / 2**20,
        bundle_mib=len(render.vega_bundle().encode()) / 2**20,
        cached_bundle_s=time.perf_counter() - bundle_started,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warehouse", type=Path, default=ROOT / "warehouse" / "kzeu.duckdb")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.warehouse)
    if not args.warehouse.exists():
        sys.exit(f"no published warehouse at {args.warehouse}: run `make run` first")
    OUT.mkdir(parents=True, exist_ok=True)
    print(machine_line("duckdb", "altair", "vl_convert"))
    print(f"warehouse: {args.warehouse} ({args.warehouse.stat().st_size / 2**20:.1f} MiB)\n")
    runs = run_modes(__file__, ["report"], lambda mode: ["--warehouse", str(args.warehouse)], args.repeat)
    med = print_runs(runs, [("HTML MiB", "size_mib"), ("JS MiB", "bundle_mib")])
    print_targets(
        [
            ("report seconds", med["report"]["seconds"], "<", TARGET_SECONDS),
            ("report HTML MiB", runs["report"][0]["size_mib"], "<", TARGET_MIB),
        ]
    )


if __name__ == "__main__":
    main()
