"""Benchmark the Comext bulk trade ingest against a bare DuckDB scan and a pandas baseline.

ALL DATA IS SYNTHETIC: a Comext full_v2-format file (18 columns, PERIOD 202402) is generated
by DuckDB SQL (COPY ... TO) into benchmarks/out/ (gitignored) and reused when it already has
the right row count. No real Comext figure is used; nothing touches the network.

    python benchmarks/bench_trade_ingest.py [--rows 5000000] [--repeat 3]

Each measurement runs in a fresh subprocess; wall time covers the work only (imports
excluded), peak memory is that child's VmHWM. Medians over --repeat runs; always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
KEEP = ("KZ",)  # partners the ingest keeps, as production configures them for this benchmark
MODES = ("ingest", "bare_scan", "pandas")
TARGET_SCAN_RATIO, TARGET_PANDAS_RATIO, TARGET_RSS_MIB = 1.3, 6.0, 512

REPORTERS = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
PARTNERS = """AD AE AF AG AI AL AM AO AR AS AT AU AW AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BW BY BZ CA CD CF CG CH CI CK CL CM CN CO CR CU CV CW CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET
FI FJ FK FM FO FR GA GB GD GE GH GI GL GM GN GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT
JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MD ME MG MH MK ML MM MN
MO MP MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PS
PT PW PY QA RO RS RU RW SA SB SC SD SE SG SH SI SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TG TH TJ TK
TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VG VN VU WF WS YE ZA ZM ZW XK XI XC XL QP QQ QR QS
QU QV QW QX QY QZ""".split()
SPARE_PARTNER = "XS"  # replaces the one partner equal to the reporter: no one trades with itself
SECTION_STARTS = [6, 15, 16, 25, 28, 39, 41, 44, 47, 50, 64, 68, 71, 72, 84, 86, 90, 93, 94, 97]
NAC_RATES = {"BG": 1.95583, "CZ": 25.2, "DK": 7.46, "HU": 388.0, "PL": 4.33, "RO": 4.97, "SE": 11.3}
assert len(PARTNERS) == 240 and len(set(PARTNERS)) == 240 and len(REPORTERS) == 27

# Products: 96 chapters x (100 CN8 codes + one confidential residual like 39XXXXXX) = 9,696.
# Row i -> partner i%240, reporter, flow, then m = i // 12960 picks a product by an injective
# permutation of m (gcd(7919, 9696) = 1), so (REPORTER, PARTNER, PRODUCT_NC, FLOW, ...) is unique
# up to 12,960 x 9,696 rows; exactly one row in 240 has PARTNER = 'KZ'.
GENERATE_SQL = """
COPY (
  WITH products AS (
    SELECT row_number() OVER (ORDER BY ch, s) - 1 AS q, ch, s, s < 0 AS residual,
           lpad(ch::VARCHAR, 2, '0') AS chap,
           lpad((1 + len(list_filter({sections}, lambda x: x <= ch)))::VARCHAR, 2, '0') AS section
    FROM range(1, 98) c(ch), range(-1, 100) t(s) WHERE ch <> 77
  ), grid AS (
    SELECT i, i % 240 AS k, (i // 240) % 27 AS r, (i // 6480) % 2 AS f, i // 12960 AS m,
           hash(i) % 100 AS h, (hash(i, 'v') % 1000000) / 1e6 AS u FROM range({rows}) t(i)
  ), keyed AS (
    SELECT g.*, p.*, {reporters}[r + 1] AS rep,
           CASE WHEN {partners}[k + 1] = {reporters}[r + 1] THEN '{spare}' ELSE {partners}[k + 1] END AS par,
           floor(exp(u * 16))::BIGINT - 1 AS value_eur
    FROM grid g JOIN products p ON p.q = (g.m * 7919 + g.r * 131 + g.k * 17 + g.f * 3) % 9696
  )
  SELECT rep AS REPORTER, par AS PARTNER, CASE WHEN list_contains({reporters}, par) THEN 'I' ELSE 'E' END AS TRADE_TYPE,
    chap || CASE WHEN residual THEN 'XXXXXX' ELSE lpad(((s * 7919 + ch * 104729) % 1000000)::VARCHAR, 6, '0') END AS PRODUCT_NC,
    CASE WHEN residual THEN lpad((ch * 7 % 1000)::VARCHAR, 3, '0') || 'XX' ELSE lpad(((ch * 997 + s * 131) % 100000)::VARCHAR, 5, '0') END AS PRODUCT_SITC,
    CASE WHEN residual THEN 'XXXX' ELSE lpad(((ch * 53 + s) % 10000)::VARCHAR, 4, '0') END AS PRODUCT_CPA21,
    CASE WHEN residual THEN 'XXXX' ELSE lpad(((ch * 53 + s + s % 3) % 10000)::VARCHAR, 4, '0') END AS PRODUCT_CPA22,
    CASE WHEN residual THEN '700' ELSE ['220', '530', '630', '112', '410'][s % 5 + 1] END AS PRODUCT_BEC,
    CASE WHEN residual THEN '31XXXX' ELSE lpad(((ch * 3163 + s * 17) % 1000000)::VARCHAR, 6, '0') END AS PRODUCT_BEC5,
    section AS PRODUCT_SECTION, f + 1 AS FLOW,
    CASE WHEN h < 85 THEN 1 WHEN h < 91 THEN 2 WHEN h < 96 THEN 3 ELSE 9 END AS STAT_PROCEDURE,
    CASE WHEN residual OR s % 4 <> 0 THEN 'NO_SU' ELSE ['p/st', 'l', 'm2'][s % 3 + 1] END AS SUPPL_UNIT,
    202402 AS PERIOD, value_eur AS VALUE_EUR, round(value_eur * {nac})::BIGINT AS VALUE_NAC,
    (value_eur // (h % 50 + 1))::BIGINT AS QUANTITY_KG,
    CASE WHEN residual OR s % 4 <> 0 THEN 0 ELSE value_eur // (h % 20 + 5) END AS QUANTITY_SUPPL_UNIT
  FROM keyed ORDER BY REPORTER, PARTNER, PRODUCT_NC, FLOW, STAT_PROCEDURE
) TO '{target}' (FORMAT csv, HEADER true, DELIMITER ',')
"""


def count_rows(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 24), b"")) - 1


def synthetic_file(rows: int) -> Path:
    """benchmarks/out/synthetic_full_v2_202402_<rows>rows.dat, generated unless already there."""
    if not 0 < rows <= 12960 * 9696:
        sys.exit(f"--rows must be between 1 and {12960 * 9696}")
    path = OUT / f"synthetic_full_v2_202402_{rows}rows.dat"
    if path.exists() and count_rows(path) == rows:
        return path
    import duckdb

    OUT.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    nac = "CASE rep " + " ".join(f"WHEN '{c}' THEN {r}" for c, r in NAC_RATES.items()) + " ELSE 1 END"
    started = time.perf_counter()
    duckdb.connect().execute(GENERATE_SQL.format(
        rows=rows, reporters=REPORTERS, partners=PARTNERS, spare=SPARE_PARTNER,
        sections=SECTION_STARTS, nac=nac, target=partial,
    ))
    partial.replace(path)
    print(f"generated {path.name} in {time.perf_counter() - started:.1f} s")
    return path


def child(mode: str, path: Path) -> None:
    """One measurement; prints a JSON line {seconds, rows, rss_mib}."""
    if mode == "pandas":
        import warnings

        import pandas as pd

        warnings.simplefilter("ignore")  # the DtypeWarning on mixed PRODUCT_NC is pandas' default
        started = time.perf_counter()
        frame = pd.read_csv(path)
        rows = len(frame[frame["PARTNER"] == "KZ"])
    elif mode == "bare_scan":
        import duckdb

        started = time.perf_counter()
        rows = duckdb.connect().execute(f"SELECT count(*) FROM read_csv('{path}')").fetchone()[0]
    else:
        import duckdb

        sys.path.insert(0, str(ROOT))
        from pipelines.landing import land_folder, raw_files
        from pipelines.sources.trade import TRADE_COLUMNS, TRADE_KEY, TRADE_TABLE, read_trade_file

        with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
            folder = Path(tmp) / "raw" / "trade"
            folder.mkdir(parents=True)
            (folder / path.name).symlink_to(path)  # no copy of the file
            assert raw_files(folder) == [folder / path.name], "landing.raw_files refused the symlink"
            started = time.perf_counter()
            con = duckdb.connect(str(Path(tmp) / "warehouse.duckdb"))
            loads = land_folder(con, folder.parent, "trade", TRADE_TABLE, TRADE_COLUMNS, TRADE_KEY,
                                lambda c, p: read_trade_file(c, p, KEEP))
            rows = con.execute(f"SELECT count(*) FROM raw.{TRADE_TABLE}").fetchone()[0]
            con.close()
            assert [load.status for load in loads] == ["loaded"], loads
    seconds = time.perf_counter() - started
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across (v)fork + exec.
    rss_mib = int(re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1)) / 1024
    print(json.dumps({"seconds": seconds, "rows": rows, "rss_mib": rss_mib}))


def measure(mode: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    import duckdb

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    try:
        import pandas

        pandas_version = pandas.__version__
    except ImportError:
        pandas_version = "not installed"
    return (f"machine: nproc={len(os.sched_getaffinity(0))} ({cpu}), {mem:.1f} GiB RAM, {platform.system()} "
            f"{platform.machine()}; Python {platform.python_version()}, duckdb {duckdb.__version__}, pandas {pandas_version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], Path(args.child[1]))
    print(machine())
    path = synthetic_file(args.rows)
    print(f"file: {path.relative_to(ROOT)} ({path.stat().st_size / 2**20:.0f} MiB, {args.rows:,} rows, synthetic)")
    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for _ in range(args.repeat):  # interleaved, so drift hits every mode alike
        for mode in MODES:
            runs[mode].append(measure(mode, path))
    wall = {mode: statistics.median(r["seconds"] for r in runs[mode]) for mode in MODES}
    rss = {mode: max(r["rss_mib"] for r in runs[mode]) for mode in MODES}
    print(f"\n{'':10} {'median s':>9} {'runs s':>22} {'peak RSS MiB':>13} {'rows':>10}")
    for mode in MODES:
        each = " ".join(f"{r['seconds']:.2f}" for r in runs[mode])
        print(f"{mode:10} {wall[mode]:9.2f} {each:>22} {rss[mode]:13.0f} {runs[mode][0]['rows']:10,}")
    print("rows: ingest = rows landed in raw.trade_flows; bare_scan = rows counted; pandas = KZ rows kept")
    if runs["ingest"][0]["rows"] != runs["pandas"][0]["rows"]:
        print("WARNING: the ingest and pandas disagree on the number of KZ rows")
    checks = [
        ("ingest / bare scan", wall["ingest"] / wall["bare_scan"], f"<= {TARGET_SCAN_RATIO}", wall["ingest"] / wall["bare_scan"] <= TARGET_SCAN_RATIO),
        ("pandas / ingest", wall["pandas"] / wall["ingest"], f">= {TARGET_PANDAS_RATIO}", wall["pandas"] / wall["ingest"] >= TARGET_PANDAS_RATIO),
        ("ingest peak RSS MiB", rss["ingest"], f"< {TARGET_RSS_MIB}", rss["ingest"] < TARGET_RSS_MIB),
    ]
    print()
    for name, value, target, ok in checks:
        print(f"{name:20} {value:8.2f}  target {target:7}  {'ok' if ok else 'MISSED'}")
    missed = [name for name, *_, ok in checks if not ok]
    print(f"\nMISSED: {', '.join(missed)}" if missed else "\nall targets met")


if __name__ == "__main__":
    main()
