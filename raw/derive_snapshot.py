"""Derive the embedded trade snapshot in raw/trade/ from the shared publisher extracts.

Why this exists: the default build and CI must work offline, so the repository
carries a small snapshot of REAL Eurostat Comext figures (dataset DS-045409) in
the formats the publisher serves them (Comext SDMX-CSV, Easy Comext relational
view). This script re-serialises the shared extracts into those formats without
changing any value, then checks row counts and value sums against the source
and fails loudly on any difference. Provenance is documented in raw/SOURCES.md.

Usage: python raw/derive_snapshot.py [--shared PATH]   (stdlib + duckdb only)
Output is deterministic: sorted or source-ordered rows, LF line endings,
gzip with mtime=0 and no embedded file name.
"""

import argparse
import csv
import gzip
import io
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "raw" / "trade"

SDMX_SRC = "comext_DS-045409_7partners_by_member_state_monthly_2020-2022.csv"
SDMX_OUT = "comext_ds045409_7partners_by_member_state_monthly_2020-2022.sdmx.csv.gz"
SDMX_HEADER = [
    "DATAFLOW",
    "LAST UPDATE",
    "freq",
    "reporter",
    "partner",
    "product",
    "flow",
    "indicators",
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_FLAG",
]
DATAFLOW = "ESTAT:DS-045409(1.0)"
LAST_UPDATE = "13/01/23 00:00:00"  # data updated 2023-01-13 (shared README); time of day not known

RELATIONAL_COLUMNS = ["REPORTER", "PARTNER", "PRODUCT", "FLOW", "STAT_PROCEDURE", "PERIOD", "VALUE_IN_EUR"]
RELATIONAL = {  # output name -> (shared file, its added column that holds the year)
    "easy_comext_eu27_exports_all_partners_annual_2010-2023.csv.gz": (
        "comext_relational_EU27_exports_all_partners_annual_2010-2023.csv",
        "year",
    ),
    "easy_comext_exports_to_KZ_by_reporter_monthly_2019-2024.csv.gz": (
        "comext_relational_exports_to_KZ_by_reporter_monthly_2019-01_2024-08.csv",
        "period_ym",
    ),
}

# Comext reporter codes (ISO alpha-2 as Comext writes them: Greece is GR, not EL).
REPORTERS = {
    "Austria": "AT",
    "Belgium (incl. Luxembourg 'LU' -> 1998)": "BE",
    "Bulgaria": "BG",
    "Croatia": "HR",
    "Cyprus": "CY",
    "Czechia": "CZ",
    "Denmark": "DK",
    "Estonia": "EE",
    "Finland": "FI",
    "France (incl. Saint Barthélemy 'BL' -> 2012; incl. French Guiana 'GF', Guadeloupe 'GP', "
    "Martinique 'MQ', Réunion 'RE' from 1997; incl. Mayotte 'YT' from 2014)": "FR",
    "Germany (incl. German Democratic Republic 'DD' from 1991)": "DE",
    "Greece": "GR",
    "Hungary": "HU",
    "Ireland (Eire)": "IE",
    "Italy (incl. San Marino 'SM' -> 1993)": "IT",
    "Latvia": "LV",
    "Lithuania": "LT",
    "Luxembourg": "LU",
    "Malta": "MT",
    "Netherlands": "NL",
    "Poland": "PL",
    "Portugal": "PT",
    "Romania": "RO",
    "Slovakia": "SK",
    "Slovenia": "SI",
    "Spain (incl. Canary Islands 'XB' from 1997)": "ES",
    "Sweden": "SE",
}
PARTNERS = {
    "Armenia": "AM",
    "Belarus (Belorussia)": "BY",
    "Georgia": "GE",
    "Kazakhstan": "KZ",
    "Kyrgyzstan": "KG",
    "Russian Federation (Russia)": "RU",
    "Uzbekistan": "UZ",
}
FLOWS = {"IMPORT": "1", "EXPORT": "2"}


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv_gz(path, header, rows):
    """Write a gzip'd UTF-8 CSV byte-for-byte reproducibly."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def check(name, condition, detail):
    if not condition:
        raise SystemExit(f"VERIFY FAILED {name}: {detail}")


def sdmx_rows(src_rows):
    """Map the long data-browser rows to SDMX-CSV rows; return (rows, omitted)."""
    found = {r["reporter_label"] for r in src_rows}
    check(SDMX_OUT, found == set(REPORTERS), f"reporter labels differ: {found ^ set(REPORTERS)}")
    rows, omitted = [], 0
    for r in src_rows:
        if r["value_eur"] == "":  # ':' in the source = not available; the API omits these
            check(SDMX_OUT, r["obs_flag"] == ":", f"empty value without ':' flag: {r}")
            omitted += 1
            continue
        check(SDMX_OUT, r["value_eur"].isdigit(), f"non-integer value: {r}")
        rows.append(
            [
                DATAFLOW,
                LAST_UPDATE,
                "M",
                REPORTERS[r["reporter_label"]],
                PARTNERS[r["partner_label"]],
                r["product_code"],
                FLOWS[r["flow"]],
                r["indicator"],
                r["period"],
                r["value_eur"],
                r["obs_flag"],
            ]
        )
    rows.sort(key=lambda x: (x[3], x[4], x[5], x[6], x[8]))
    return rows, omitted


def sums(con, sql):
    return sorted(con.sql(sql).fetchall())


def count(con, path):
    return con.sql(f"SELECT count(*) FROM read_csv('{path}', all_varchar=true, header=true)").fetchall()[0][0]


def verify_sdmx(con, src, out, omitted):
    """Row count and sum per (flow, product, year) of source vs written file."""
    n_src, n_out = (count(con, path) for path in (src, out))
    check(out.name, n_src == n_out + omitted, f"rows {n_src} != {n_out} + {omitted} omitted")
    a = sums(
        con,
        f"""SELECT CASE flow WHEN 'IMPORT' THEN '1' WHEN 'EXPORT' THEN '2' END,
                             product_code, left(period, 4), sum(value_eur::HUGEINT)
                      FROM read_csv('{src}', all_varchar=true, header=true)
                      WHERE value_eur IS NOT NULL GROUP BY ALL""",
    )
    b = sums(
        con,
        f"""SELECT flow, product, left(TIME_PERIOD, 4), sum(OBS_VALUE::HUGEINT)
                      FROM read_csv('{out}', all_varchar=true, header=true) GROUP BY ALL""",
    )
    check(out.name, a == b, f"sums differ:\n{a}\n{b}")
    print(
        f"OK {out.name}: {n_src} source rows = {n_out} written + {omitted} omitted ':'; "
        f"{len(b)} (flow, product, year) sums equal"
    )


def verify_relational(con, src, out, year_col, src_rows):
    """Row count, row-for-row content and sum per (flow, product, year)."""
    with gzip.open(out, "rt", encoding="utf-8", newline="") as fh:
        written = list(csv.reader(fh))
    check(out.name, written[0] == RELATIONAL_COLUMNS, f"header {written[0]}")
    expected = [[r[c] for c in RELATIONAL_COLUMNS] for r in src_rows]
    check(out.name, written[1:] == expected, "rows differ from the source columns")
    a = sums(
        con,
        f"""SELECT FLOW, PRODUCT, left({year_col}, 4), sum(VALUE_IN_EUR::HUGEINT)
                      FROM read_csv('{src}', all_varchar=true, header=true) GROUP BY ALL""",
    )
    b = sums(
        con,
        f"""SELECT FLOW, PRODUCT, regexp_extract(PERIOD, '(\\d{{4}})$', 1),
                             sum(VALUE_IN_EUR::HUGEINT)
                      FROM read_csv('{out}', all_varchar=true, header=true) GROUP BY ALL""",
    )
    check(out.name, a == b, f"sums differ:\n{a}\n{b}")
    print(
        f"OK {out.name}: {len(src_rows)} source rows = {len(written) - 1} written; "
        f"{len(b)} (flow, product, year) sums equal"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="folder of the shared publisher extracts (default ../shared/data)",
    )
    trade = parser.parse_args().shared / "trade"
    OUT.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()

    src = trade / SDMX_SRC
    rows, omitted = sdmx_rows(read_rows(src))
    write_csv_gz(OUT / SDMX_OUT, SDMX_HEADER, rows)
    verify_sdmx(con, src, OUT / SDMX_OUT, omitted)

    for out_name, (src_name, year_col) in RELATIONAL.items():
        src = trade / src_name
        src_rows = read_rows(src)
        write_csv_gz(OUT / out_name, RELATIONAL_COLUMNS, [[r[c] for c in RELATIONAL_COLUMNS] for r in src_rows])
        verify_relational(con, src, OUT / out_name, year_col, src_rows)


if __name__ == "__main__":
    main()
