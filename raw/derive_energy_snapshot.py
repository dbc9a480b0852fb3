"""Derive the embedded energy snapshot in raw/energy/ from the shared publisher extracts.

Why this exists: the default build and CI run offline, so the repository carries a small
snapshot of REAL energy figures in the formats their publishers serve: Eurostat TSV bulk
(nrg_ti_oil, nrg_ti_gas), Eurostat SDMX-CSV (nrg_ti_coifpm) and the DG ENER crude oil import
register's own CSV layout. This script re-serialises the shared extracts without changing any
value (numbers are copied as written), then reads the written files back with DuckDB and checks
row counts, cell counts and sums against the source, failing loudly on any difference.
Provenance is documented in raw/SOURCES.md (energy section).

Usage: python raw/derive_energy_snapshot.py [--shared PATH]   (stdlib + duckdb only)
Output is deterministic: sorted (or publisher-ordered) rows, LF line endings, UTF-8,
gzip with mtime=0 and no stored file name.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "raw" / "energy"

# fmt: off
EU27 = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU",
        "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
# fmt: on
EU28 = [*EU27, "UK"]  # the EU's composition until 31 January 2020

# Third-party wide CSVs of Eurostat TSV downloads -> Eurostat TSV again.
TSV = {  # output -> (shared file, siec, unit)
    "eurostat_nrg_ti_oil_crude_from_KZ_by_importer_annual_1990-2022.tsv.gz": (
        "eurostat_nrg_ti_oil_crude_from_KZ_by_importer_annual_1990-2022.csv",
        "O4100_TOT",
        "THS_T",
    ),
    "eurostat_nrg_ti_gas_from_KZ_by_importer_annual_1990-2022.tsv.gz": (
        "eurostat_nrg_ti_gas_from_KZ_by_importer_annual_1990-2022.csv",
        "G3000",
        "TJ_GCV",
    ),
}
TSV_KEY = ["freq", "siec", "code_exporter", "unit", "code_importer"]  # the third party's names
TSV_SERIES_HEADER = "freq,siec,partner,unit,geo\\TIME_PERIOD"

COIFPM_SRC = "eurostat_nrg_ti_coifpm_KZ_grades_and_TOTAL_monthly_2005-2024.csv"
COIFPM_OUT = "eurostat_nrg_ti_coifpm_KZ_grades_and_TOTAL_EU_monthly_2013-2023.sdmx.csv.gz"
COIFPM_HEADER = [
    "DATAFLOW",
    "LAST UPDATE",
    "freq",
    "crudeoil",
    "indic_nrg",
    "geo",
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_FLAG",
]
COIFPM_DATAFLOW = "ESTAT:NRG_TI_COIFPM(1.0)"
COIFPM_LAST_UPDATE = "28/02/24 11:00:00"
# Kazakh grades exist from 2020; TOTAL back to 2013 (the register's first year) for share comparisons.
COIFPM_SQL_FILTER = f"""
    (TIME_PERIOD BETWEEN '2020-01' AND '2023-12' AND geo IN ('EU_V', {", ".join(f"'{g}'" for g in EU27)}))
    OR (TIME_PERIOD BETWEEN '2013-01' AND '2019-12' AND crudeoil = 'TOTAL'
        AND geo IN ('EU_V', {", ".join(f"'{g}'" for g in EU28)}))
"""

REGISTER = "dg_ener_crude_oil_import_register_EU28_monthly_2013-2019.csv"
REGISTER_OUT = "dg_ener_crude_oil_import_register_EU28_monthly_2013-2019.csv.gz"
REGISTER_HEADER = [
    "Reporting Country",
    "Country of Origin",
    "Type of crude oil",
    "Volume (1000 bbl)",
    "Total Value ($ 1000)",
    "CIF price (2) ($/bbl)",
    "% of Total Imports",
    "date",
]


def check(name: str, condition: bool, detail: str) -> None:
    if not condition:
        raise SystemExit(f"VERIFY FAILED {name}: {detail}")


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower() not in {"nan", "inf", "-inf", "infinity"}


def write_gz(path: Path, text: str) -> None:
    """Gzip byte-for-byte reproducibly: mtime 0, no stored file name."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


# --- Eurostat TSV -------------------------------------------------------------------------------


def read_wide(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The third party's wide CSV: '#' comment lines, then a header and one row per importer."""
    with open(path, newline="", encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    reader = csv.DictReader(lines)
    rows = list(reader)
    years = [c for c in reader.fieldnames if c.isdigit()]
    return years, rows


def without_empty_duplicates(name: str, rows: list[dict[str, str]], years: list[str]) -> tuple[list[dict], list[dict]]:
    """A series key must be unique in a TSV. The oil extract lists RS twice; the second copy holds
    only zeros (its place in Eurostat's geo order is XK's: probably Kosovo relabelled by the third
    party). A duplicate is dropped only when it carries no non-zero figure, else this fails."""
    kept: dict[tuple, dict] = {}
    dropped = []
    for row in rows:
        key = tuple(row[c] for c in TSV_KEY)
        if key not in kept:
            kept[key] = row
            continue
        empty = all(row[y] in ("0", "NA") for y in years)
        check(name, empty, f"series {key} appears twice with figures: {row}")
        dropped.append(row)
    return list(kept.values()), dropped


def tsv_text(years: list[str], rows: list[dict[str, str]]) -> str:
    """Eurostat's TSV: series key, then per period 'value flags' with the trailing space; ':' = not available."""
    lines = ["\t".join([TSV_SERIES_HEADER, *(f"{y} " for y in years)])]
    for row in sorted(rows, key=lambda r: tuple(r[c] for c in TSV_KEY)):
        cells = [(":" if row[y] == "NA" else row[y]) + " " for y in years]
        lines.append("\t".join([",".join(row[c] for c in TSV_KEY), *cells]))
    return "\n".join(lines) + "\n"


def derive_tsv(con, shared: Path, out_name: str, src_name: str, siec: str, unit: str) -> None:
    src, out = shared / src_name, OUT / out_name
    years, rows = read_wide(src)
    for row in rows:
        check(
            out_name,
            (row["freq"], row["siec"], row["code_exporter"], row["unit"]) == ("A", siec, "KZ", unit),
            f"unexpected series {row}",
        )
        check(out_name, all(row[y] == "NA" or is_number(row[y]) for y in years), f"non-numeric cell in {row}")
    kept, dropped = without_empty_duplicates(out_name, rows, years)
    write_gz(out, tsv_text(years, kept))
    check(
        out_name,
        tsv_cells(out)
        == {(tuple(r[c] for c in TSV_KEY), y, ":" if r[y] == "NA" else r[y]) for r in kept for y in years},
        "cells differ from the source",
    )
    verify_tsv(con, src, out, years, len(rows), len(dropped))


def tsv_cells(path: Path) -> set[tuple]:
    """(series key, period, value) of a written TSV, read back independently of the writer."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        header, *lines = [line.rstrip("\n").split("\t") for line in fh]
    return {
        (tuple(line[0].split(",")), period.strip(), cell.strip())
        for line in lines
        for period, cell in zip(header[1:], line[1:], strict=True)
    }


def verify_tsv(con, src: Path, out: Path, years: list[str], n_src: int, n_dropped: int) -> None:
    """Read both files with DuckDB: rows, per-year sums and not-available counts must agree."""
    source = f"read_csv('{src}', comment = '#', header = true, all_varchar = true)"
    written = f"read_csv('{out}', delim = '\t', header = true, all_varchar = true, quote = '')"
    year_cols = ", ".join(f'"{y}"' for y in years)
    a = con.sql(f"""SELECT year, sum(TRY_CAST(v AS DECIMAL(18, 6))), count(*) FILTER (WHERE v = 'NA')
                    FROM {source} UNPIVOT (v FOR year IN ({year_cols})) GROUP BY 1 ORDER BY 1""").fetchall()
    b = con.sql(f"""SELECT trim(year), sum(TRY_CAST(trim(v) AS DECIMAL(18, 6))), count(*) FILTER (WHERE trim(v) = ':')
                    FROM {written} UNPIVOT (v FOR year IN ({year_cols})) GROUP BY 1 ORDER BY 1""").fetchall()
    check(out.name, a == b, f"per-year sums or ':' counts differ:\n{a}\n{b}")
    n_out = con.sql(f"SELECT count(*) FROM {written}").fetchall()[0][0]
    check(out.name, n_out == n_src - n_dropped, f"rows {n_out} != {n_src} - {n_dropped} dropped")
    not_available = sum(row[2] for row in b)
    print(
        f"OK {out.name}: {n_src} source rows = {n_out} series written + {n_dropped} all-zero duplicate "
        f"dropped; {len(years)} years; {n_out * len(years)} cells, {not_available} ':'; per-year sums equal"
    )


# --- Eurostat SDMX-CSV (nrg_ti_coifpm) -------------------------------------------------------------


def derive_coifpm(con, shared: Path) -> None:
    src, out = shared / COIFPM_SRC, OUT / COIFPM_OUT
    source = f"read_csv('{src}', header = true, all_varchar = true)"
    stamps = con.sql(f"SELECT DISTINCT last_update, freq FROM {source}").fetchall()
    check(COIFPM_OUT, stamps == [(COIFPM_LAST_UPDATE, "M")], f"last update / freq {stamps}")
    rows = con.sql(f"""
        SELECT '{COIFPM_DATAFLOW}', last_update, freq, crudeoil, indic_nrg, geo, TIME_PERIOD,
               coalesce(OBS_VALUE, ''), coalesce(OBS_FLAG, '')
        FROM {source} WHERE {COIFPM_SQL_FILTER}
        ORDER BY crudeoil, indic_nrg, geo, TIME_PERIOD""").fetchall()
    for row in rows:  # a confidential cell is empty with its flag; every other cell is a number
        check(COIFPM_OUT, is_number(row[7]) if row[7] else "c" in row[8], f"cell {row}")
    write_gz(out, csv_text(COIFPM_HEADER, [list(r) for r in rows]))
    verify_coifpm(con, source, out, len(rows))


def verify_coifpm(con, source: str, out: Path, n_rows: int) -> None:
    written = f"read_csv('{out}', header = true, all_varchar = true)"
    a = con.sql(f"""SELECT crudeoil, indic_nrg, left(TIME_PERIOD, 4), count(*), count(OBS_VALUE),
                           sum(OBS_VALUE::DECIMAL(20, 6)), count(*) FILTER (WHERE OBS_FLAG LIKE '%c%')
                    FROM {source} WHERE {COIFPM_SQL_FILTER} GROUP BY ALL ORDER BY ALL""").fetchall()
    b = con.sql(f"""SELECT crudeoil, indic_nrg, left(TIME_PERIOD, 4), count(*), count(OBS_VALUE),
                           sum(OBS_VALUE::DECIMAL(20, 6)), count(*) FILTER (WHERE OBS_FLAG LIKE '%c%')
                    FROM {written} GROUP BY ALL ORDER BY ALL""").fetchall()
    check(out.name, a == b, "per (crudeoil, indic_nrg, year) counts, sums or confidential counts differ")
    n_out = con.sql(f"SELECT count(*) FROM {written}").fetchall()[0][0]
    confidential = sum(row[6] for row in b)
    check(out.name, n_out == n_rows == sum(row[3] for row in a), f"rows {n_out} != {n_rows}")
    print(
        f"OK {out.name}: {n_out} rows ({confidential} confidential, empty with flag c); "
        f"{len(b)} (crudeoil, indic_nrg, year) groups with equal counts and sums"
    )


# --- DG ENER crude oil import register -------------------------------------------------------------


def derive_register(con, shared: Path) -> None:
    """Every row and cell as published, in the register's own order (by month, then reporter)."""
    src, out = shared / REGISTER, OUT / REGISTER_OUT
    with open(src, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    check(REGISTER_OUT, rows[0] == REGISTER_HEADER, f"header {rows[0]}")
    write_gz(out, csv_text(rows[0], rows[1:]))
    with gzip.open(out, "rt", encoding="utf-8", newline="") as fh:
        check(REGISTER_OUT, list(csv.reader(fh)) == rows, "rows differ from the source")
    measures = ", ".join(f'sum(TRY_CAST("{c}" AS DECIMAL(24, 12)))' for c in REGISTER_HEADER[3:7])
    a, b = (
        con.sql(f"""SELECT left(date, 4), "Reporting Country", count(*), {measures}
                        FROM read_csv('{path}', header = true, all_varchar = true)
                        GROUP BY ALL ORDER BY ALL""").fetchall()
        for path in (src, out)
    )
    check(REGISTER_OUT, a == b, "per (year, reporter) sums differ")
    print(f"OK {out.name}: {len(rows) - 1} rows written as published; {len(b)} (year, reporter) sums equal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="folder of the shared publisher extracts (default ../shared/data)",
    )
    energy = parser.parse_args().shared / "energy"
    OUT.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for out_name, (src_name, siec, unit) in TSV.items():
        derive_tsv(con, energy, out_name, src_name, siec, unit)
    derive_coifpm(con, energy)
    derive_register(con, energy)


if __name__ == "__main__":
    main()
