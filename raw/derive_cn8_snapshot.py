"""Derive the embedded CN8 extracts in raw/trade/ and their two code-list seeds from the shared files.

Why this exists: the default build and CI run offline, so the repository carries the two partial
Comext DS-045409 selections the critical-raw-material and sanctioned-goods marts need, in the shape
they were published or flattened in. Nothing is changed: every row and cell is written back as read
(same header, same order, values as written), gzip-compressed; the written files are read back and
compared row by row, and counts and exact decimal sums per group are checked against the source.
The seeds are the code lists those marts join on: the critical-raw-material mapping (its factual
columns) and the CN8/HS4 codes of the sanctioned-goods selection. Provenance: raw/SOURCES.md.

Usage: python raw/derive_cn8_snapshot.py [--shared PATH]   (standard library only)
Output is deterministic: LF line endings, UTF-8, gzip with mtime 0 and no stored file name.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "raw" / "trade"
SEEDS = REPO / "dbt_project" / "seeds"

CRM = "comext_bulk_extract_EU_imports_critical_raw_materials_cn8_annual_2022-2024.csv"
CRM_OUT = CRM + ".gz"
CRM_HEADER = ["DECLARANT_ISO", "PARTNER_ISO", "PRODUCT_NC", "FLOW", "PERIOD", "VALUE_IN_EUROS"]
CRM_MAPPING = "comext_critical_raw_materials_cn8_mapping.csv"
CRM_SEED = "critical_raw_materials_cn8.csv"
CRM_SEED_COLUMNS = ["cn8_code", "material_group", "material_name", "stage"]  # the mapping's factual columns

SANCTIONED = "comext_DS-045409_EU_exports_to_KZ_sanctioned_goods_cn8_hs4_by_member_state_monthly_2020-2022.csv.gz"
SANCTIONED_OUT = "comext_ds045409_databrowser_EU_exports_to_KZ_sanctioned_goods_monthly_2020-2022.csv.gz"
SANCTIONED_HEADER = [
    "source_file", "sheet", "product", "flow", "indicator", "reporter", "partner", "period", "value_eur",
]
SANCTIONED_SEED = "sanctioned_goods_codes.csv"
PRODUCT_CODE = re.compile(r"^.*\[([0-9]{4}|[0-9]{8})\]$")


def check(name: str, condition: bool, detail: str) -> None:
    if not condition:
        raise SystemExit(f"VERIFY FAILED {name}: {detail}")


def read_rows(path: Path) -> list[list[str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_gz(path: Path, text: str) -> None:
    """Gzip byte-for-byte reproducibly: mtime 0, no stored file name."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def group_sums(rows: list[list[str]], key_columns: list[int], value_column: int) -> dict[tuple, tuple[int, Decimal]]:
    """(count, exact decimal sum) of the value per group."""
    sums: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    for row in rows:
        group = sums[tuple(row[i] for i in key_columns)]
        group[0] += 1
        group[1] += Decimal(row[value_column])
    return {key: (count, total) for key, (count, total) in sums.items()}


def rewrite(name: str, src: Path, out: Path, header: list[str], groups: list[int], value: int) -> list[list[str]]:
    """Write every row of `src` back as read, then prove it: rows equal, group counts and sums equal."""
    rows = read_rows(src)
    check(name, rows[0] == header, f"header {rows[0]}")
    check(name, all(len(row) == len(header) for row in rows), "a row with another number of cells")
    write_gz(out, csv_text(rows))
    written = read_rows(out)
    check(name, written == rows, "rows read back differ from the source")
    check(name, group_sums(written[1:], groups, value) == group_sums(rows[1:], groups, value), "group sums differ")
    check(name, sha256(out) != sha256(src), "byte-identical to the shared file: re-serialise, never copy")
    print(f"OK {out.name}: {len(rows) - 1} rows as published; {len(group_sums(rows[1:], groups, value))} "
          f"groups with equal counts and exact sums")
    return rows


def derive_crm(shared: Path) -> None:
    rows = rewrite(CRM_OUT, shared / CRM, OUT / CRM_OUT, CRM_HEADER, groups=[4, 2], value=5)  # PERIOD, PRODUCT_NC
    with open(shared / CRM_MAPPING, newline="", encoding="utf-8") as handle:
        mapping = list(csv.DictReader(handle))
    codes = {row[2] for row in rows[1:]}
    check(CRM_SEED, {m["cn8_code"] for m in mapping} == codes and len(mapping) == len(codes),
          "the mapping does not list each code of the extract exactly once")
    seed = [CRM_SEED_COLUMNS, *([m[c] for c in CRM_SEED_COLUMNS] for m in mapping)]
    (SEEDS / CRM_SEED).write_text(csv_text(seed), encoding="utf-8")
    print(f"OK seeds/{CRM_SEED}: {len(mapping)} CN8 codes with their material")


def derive_sanctioned(shared: Path) -> None:
    rows = rewrite(SANCTIONED_OUT, shared / SANCTIONED, OUT / SANCTIONED_OUT, SANCTIONED_HEADER,
                   groups=[7, 5], value=8)  # period, reporter
    codes = set()
    for row in rows[1:]:
        match = PRODUCT_CODE.match(row[2])
        check(SANCTIONED_SEED, match is not None, f"product without an HS4 or CN8 code in brackets: {row[2]}")
        codes.add(match.group(1))
    levels = {code: "HS4" if len(code) == 4 else "CN8" for code in codes}
    seed = [["product_code", "code_level"], *([code, levels[code]] for code in sorted(codes))]
    (SEEDS / SANCTIONED_SEED).write_text(csv_text(seed), encoding="utf-8")
    print(f"OK seeds/{SANCTIONED_SEED}: {sum(v == 'HS4' for v in levels.values())} HS4 and "
          f"{sum(v == 'CN8' for v in levels.values())} CN8 codes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder of the shared publisher extracts (default ../shared/data)")
    trade = parser.parse_args().shared / "trade"
    derive_crm(trade)
    derive_sanctioned(trade)


if __name__ == "__main__":
    main()
