"""Derive the embedded UN Comtrade snapshot in raw/trade/ from the shared extract.

Why this exists: the default build and CI run offline, so the repository carries the real UN
Comtrade extract of Germany's crude imports (HS 2709) by partner and country of consignment,
2019-2024. The extract is small, so every row is kept: the file's exact bytes (Latin-1, as
published) are gzipped deterministically (mtime 0, no stored name). The script then reads the
written file back with the csv module and stops with VERIFY FAILED unless the header, the row
count, every row and the sums of quantity and value per year equal the source's, and unless the
figures the shared README quotes hold. Provenance: raw/SOURCES.md (UN Comtrade section).

Usage: python raw/derive_comtrade_snapshot.py [--shared PATH]   (standard library only)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "raw" / "trade" / "un_comtrade_DE_imports_HS2709_by_origin_and_consignment_2019-2024.csv.gz"
SOURCE = "comtrade_germany_crude_imports_hs2709_by_origin_and_consignment_2019-2024.csv"
ENCODING = "latin-1"  # the extract's encoding ('Côte d'Ivoire', 'Türkiye' are single bytes)
HEADER = ["Year", "Country", "Partner", "Partner2", "Commodity Description", "Quantity", "Quantity Unit", "Trade Value"]


def check(condition: bool, detail: str) -> None:
    if not condition:
        raise SystemExit(f"VERIFY FAILED {OUT.name}: {detail}")


def write_gz(path: Path, data: bytes) -> None:
    """Gzip byte-for-byte reproducibly: mtime 0, no stored file name."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(data)


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(ENCODING), newline="")))


def sums_per_year(rows: list[list[str]]) -> dict[str, tuple[float, float]]:
    """year -> (quantity, trade value) summed over every row, as written."""
    sums = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        sums[row[0]][0] += float(row[5] or 0)
        sums[row[0]][1] += float(row[7])
    return {year: tuple(pair) for year, pair in sums.items()}


def verify(source: bytes) -> None:
    with gzip.open(OUT, "rb") as handle:
        written = handle.read()
    check(written == source, "the decompressed bytes differ from the source")
    src, out = rows_of(source), rows_of(written)
    check(out[0] == HEADER, f"header {out[0]}")
    check(len(out) == len(src), f"{len(out) - 1} data rows, source {len(src) - 1}")
    check(out == src, "rows differ")
    check(sums_per_year(out[1:]) == sums_per_year(src[1:]), "sums per year differ")
    kazakh = {(r[0], r[3]): (float(r[5]), float(r[7])) for r in out[1:] if r[2] == "Kazakhstan"}
    # shared README: Kazakhstan 2024 10.59 Mt, of which 2.59 Mt consigned via Russia; 2020 USD 2,495.2 m
    check(round(kazakh[("2024", "World")][0] / 1e9, 2) == 10.59, f"KZ 2024 total {kazakh[('2024', 'World')]}")
    check(round(kazakh[("2024", "Russian Federation")][0] / 1e9, 2) == 2.59, "KZ 2024 via Russia")
    check(round(kazakh[("2020", "World")][1] / 1e6, 1) == 2495.2, f"KZ 2020 value {kazakh[('2020', 'World')]}")
    print(f"OK {OUT.name}: {len(out) - 1} rows, years {sorted(sums_per_year(out[1:]))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder of the shared publisher extracts (default ../shared/data)")
    source = (parser.parse_args().shared / "trade" / SOURCE).read_bytes()
    write_gz(OUT, source)
    verify(source)


if __name__ == "__main__":
    main()
