"""A site with years of whole Comext months: the full build, a new month, the warehouse size.

    .venv/bin/python benchmarks/bench_build_scale.py [--months 36]

ALL COMEXT MONTHS HERE ARE SYNTHETIC: `--months` full_v2 files of 15,000,000 rows each (every
partner, the real size of a month; gzip, ~400 MB a month) from `--first` (2016-01, so that they
meet the snapshot's monthly trade from 2019), plus the month before for the `new_month` run, made
once into the gitignored benchmarks/out/scale_months/. Ten months are generated
(`bench_trade_ingest.generate`, each with its own seed); each site month is a copy of one of them
with the PERIOD field rewritten. The site is the embedded real snapshot
(raw/) with the months beside it (hard links), built with KZEU_TRADE_PARTNERS=* (every partner
kept):

- `full`: `kzeu build` on the fresh site: every file landed and validated, every model, publish;
- `new_month`: the next month dropped in, `kzeu build`: one file landed and validated, the models
  downstream of raw.trade_flows, publish.

Target (issue 12): the new month <= 15% of the full build. Printed: each step's seconds (from the
build's progress lines), the published size, the largest process's peak. That the new month's marts
equal a full rebuild's is tested on the real snapshot (tests/integration/test_build_state.py); here a
second full build of 37 months would double a run of the better part of an hour.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_build
import bench_trade_ingest
from harness import OUT, machine_line, print_targets

MONTHS = OUT / "scale_months"
ROWS = 15_000_000
POOL = 10  # months generated row by row; every site month is a copy of one of them in its own month
STEP = re.compile(r"^\[\s*([0-9.]+) s\] (.+?)( \.\.\.| done)$")


def pool_file(k: int) -> Path:
    """The k-th generated month (80 s each, a seed of its own): the rows every site month copies."""
    path = MONTHS / "pool" / f"synthetic_full_v2_pool{k}.dat.gz"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        bench_trade_ingest.generate(partial, ROWS, 200501 + k, k + 1, "gzip")
        partial.replace(path)
    return path


def month_file(period: int, k: int) -> Path:
    """A site month: pool file k % POOL with its PERIOD rewritten (20 s): the same rows in another
    month, which cost the pipeline what any month's rows cost."""
    path = MONTHS / f"synthetic_full_v2_{period}.dat.gz"
    if not path.exists():
        partial, started = MONTHS / f".{path.name}.partial", time.perf_counter()
        with open(partial, "wb") as out:  # PERIOD is the 14th field of a full_v2 line
            source = pool_file(k % POOL)
            shell = f"gzip -dc {source} | awk -F, -v OFS=, -v p={period} 'NR > 1 {{$14 = p}} 1' | gzip -1"
            subprocess.run(["sh", "-c", shell], stdout=out, check=True)
        partial.replace(path)
        print(f"made {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def periods(first: int, count: int) -> list[int]:
    """`count` consecutive YYYYMM months from `first`."""
    index = (first // 100) * 12 + first % 100 - 1
    return [((index + i) // 12) * 100 + (index + i) % 12 + 1 for i in range(count)]


def link_into(site: Path, path: Path) -> None:
    target = site / "raw" / "trade" / path.name
    target.unlink(missing_ok=True)
    os.link(path, target)


def steps(output: str) -> dict[str, float]:
    """Seconds of each step of a build, from its progress lines ([  12.3 s] raw_trade ... / done)."""
    started, seconds = {}, {}
    for line in output.splitlines():
        if m := STEP.match(line.strip()):
            at, name, edge = float(m[1]), m[2], m[3]
            if edge == " ...":
                started[name] = at
            elif name in started:
                seconds[name] = at - started.pop(name)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=36, help="whole months in the full build")
    parser.add_argument(
        "--first", type=int, default=201601, help="the first month, YYYYMM (the new month is the one before it)"
    )
    args = parser.parse_args()
    print(machine_line("duckdb", "dagster"))
    # Contiguous with the snapshot's monthly trade (2019 on): a gap of years between the synthetic
    # months and the real ones is refused by the relationship models' series check, rightly.
    site_months = [month_file(p, i) for i, p in enumerate(periods(args.first, args.months))]
    before = args.first - 1 if args.first % 100 > 1 else args.first - 89  # 201601 -> 201512
    new_month = month_file(before, args.months)
    months = [*site_months, new_month]

    environment = bench_build.site_env

    def every_partner(site: Path) -> dict[str, str]:
        return {**environment(site), "KZEU_TRADE_PARTNERS": "*"}

    bench_build.site_env = every_partner
    site = bench_build.new_site("scale")
    for path in months[:-1]:
        link_into(site, path)
    runs = {"full": bench_build.timed(site, str(bench_build.KZEU), "build")}
    sizes = {"full": bench_build.size_mib(site)}
    link_into(site, months[-1])
    runs["new_month"] = bench_build.timed(site, str(bench_build.KZEU), "build")
    sizes["new_month"] = bench_build.size_mib(site)

    print(f"\n{args.months} synthetic whole months ({args.months * ROWS:,} rows) beside the real snapshot")
    print(f"{'run':<10} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'published MiB':>14}")
    for name, run in runs.items():
        print(f"{name:<10} {run['seconds']:8.1f} {run['cpu']:8.1f} {run['peak_mib']:9.0f} {sizes[name]:14.0f}")
    names = sorted(
        {n for run in runs.values() for n in steps(run["output"])},
        key=lambda n: -steps(runs["full"]["output"]).get(n, 0),
    )
    print(f"\n{'step':<40} {'full s':>8} {'new month s':>12}")
    for name in names:
        full, new = (steps(runs[r]["output"]).get(name) for r in ("full", "new_month"))
        if max(full or 0, new or 0) >= 1:
            print(f"{name:<40} {full or 0:8.1f} {new or 0:12.1f}")
    print_targets([("new month / full build", runs["new_month"]["seconds"] / runs["full"]["seconds"], "<=", 0.15)])
    for name, run in runs.items():
        (OUT / f"bench_build_scale_{name}.log").write_text(run["output"])


if __name__ == "__main__":
    main()
