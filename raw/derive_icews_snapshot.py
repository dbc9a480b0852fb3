"""Derive the embedded ICEWS sample in raw/events/ from the shared extracts.

Why this exists: the default build and CI run offline, so the repository carries the real ICEWS
event rows with Kazakhstan that public temporal knowledge-graph subsets hold (a SAMPLE of ICEWS:
ICEWS05-15 valid and test, all of ICEWS14, ICEWS18 valid and test). The shared folder has two
files: every row with Kazakhstan, and the rows whose other actor is the EU or a member state. The
second is a subset of the first (checked here, row for row), so only the first is embedded: its
exact bytes (UTF-8) gzipped deterministically (mtime 0, no stored name). The script reads the
written file back with the csv module and stops with VERIFY FAILED unless header, rows and row
count equal the source's. Provenance: raw/SOURCES.md (ICEWS section).

Usage: python raw/derive_icews_snapshot.py [--shared PATH]   (standard library only)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "raw" / "events" / "icews_kazakhstan_events_sample_2005-2018.tsv.gz"
SOURCE = "icews_kazakhstan_events_subset_2005-2018.tsv"
EU_SUBSET = "icews_kazakhstan_eu_events_subset_2005-2018.tsv"
HEADER = ["source_actor", "event_text_cameo_label", "target_actor", "event_date", "origin_repo_file"]


def check(condition: bool, detail: str) -> None:
    if not condition:
        raise SystemExit(f"VERIFY FAILED {OUT.name}: {detail}")


def write_gz(path: Path, data: bytes) -> None:
    """Gzip byte-for-byte reproducibly: mtime 0, no stored file name."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(data)


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder of the shared publisher extracts (default ../shared/data)")
    events = parser.parse_args().shared / "events"
    source = (events / SOURCE).read_bytes()
    src, eu = rows_of(source), rows_of((events / EU_SUBSET).read_bytes())
    check(src[0] == HEADER and eu[0] == HEADER, f"headers {src[0]} / {eu[0]}")
    check(not Counter(map(tuple, eu[1:])) - Counter(map(tuple, src[1:])), f"{EU_SUBSET} has rows {SOURCE} lacks")
    write_gz(OUT, source)
    with gzip.open(OUT, "rb") as handle:
        written = handle.read()
    check(written == source, "the decompressed bytes differ from the source")
    out = rows_of(written)
    check(out == src and all(len(row) == len(HEADER) for row in out), "rows differ or have the wrong width")
    print(f"OK {OUT.name}: {len(out) - 1} rows ({len(eu) - 1} rows of {EU_SUBSET} among them)")


if __name__ == "__main__":
    main()
