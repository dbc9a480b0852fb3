"""Bad GDELT files give one clear error naming file, row and GDELT field (generated bad inputs)."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from fixtures_gdelt import (
    GDELT1_EU_MEMBER,
    GDELT1_FIELDS,
    GDELT1_KAZ,
    GDELT1_OTHER,
    GDELT1_ROWS,
    GDELT2_KAZ_CHINA,
    GDELT2_KAZ_MILITARY,
    GDELT2_MENTIONS_HEADER,
    GDELT2_MENTIONS_ROW,
    GDELT2_SAMPLE_HEADER,
    gdelt_text,
    with_fields,
    zipped,
)
from fixtures_trade import relational
from pipelines.core.errors import RawFileError
from pipelines.core.landing import land_folder
from pipelines.domains.diplomacy.readers.gdelt_export import read_gdelt_file
from pipelines.domains.diplomacy.schema import GDELT

TEXT = gdelt_text([GDELT1_OTHER, GDELT1_EU_MEMBER, GDELT1_KAZ])


def truncated(row: str, fields: int) -> str:
    return "\t".join(row.split("\t")[:fields])


def two_members() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("20160728.export.CSV", TEXT)
        archive.writestr("20160729.export.CSV", TEXT)
    return buffer.getvalue()


def member_in_folder() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("exports/20160728.export.CSV", TEXT)
    return buffer.getvalue()


def corrupt_zip() -> bytes:
    """The deflated data damaged in the middle: the archive opens, the member does not read."""
    data = bytearray(zipped(gdelt_text(GDELT1_ROWS)))
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(16)
    return bytes(data)


# A GDELT 2.0 GKG line: record id, date, source type, source name, URL, then themes etc. (27 fields)
GKG_LINE = "\t".join(["20150218230000-0", "20150218230000", "1", "example.com", "http://example.com/a"] + [""] * 22)

CASES = {
    "too few fields": (
        "too_few.CSV",
        gdelt_text([GDELT1_OTHER, truncated(GDELT1_KAZ, 50)]),
        dict(row=2, column=GDELT1_FIELDS[50], reason="50 tab-separated fields"),
    ),
    "too many fields": (
        "too_many.CSV",
        gdelt_text([GDELT1_OTHER, GDELT1_EU_MEMBER, GDELT1_KAZ + "\textra"]),
        dict(row=3, column="SOURCEURL", reason="59 tab-separated fields"),
    ),
    "a 2.0 row in a 1.0 file": (
        "mixed_versions.CSV",
        gdelt_text([GDELT1_OTHER, GDELT2_KAZ_CHINA]),
        dict(row=2, column="SOURCEURL", reason="61 tab-separated fields"),
    ),
    "non-numeric GLOBALEVENTID": (
        "bad_id.CSV",
        gdelt_text([GDELT1_OTHER, with_fields(GDELT1_KAZ, GLOBALEVENTID="564137808x")]),
        dict(row=2, column="GLOBALEVENTID", reason="'564137808x' is not a numeric event id"),
    ),
    "bad SQLDATE": (
        "bad_date.CSV",
        gdelt_text([GDELT1_OTHER, GDELT1_EU_MEMBER, with_fields(GDELT1_KAZ, SQLDATE="20161328")]),
        dict(row=3, column="SQLDATE", reason="'20161328' is not a date YYYYMMDD"),
    ),
    "Goldstein not a number": (
        "bad_goldstein.CSV",
        gdelt_text([with_fields(GDELT1_OTHER, GoldsteinScale="n/a"), GDELT1_KAZ]),
        dict(row=1, column="GoldsteinScale", reason="'n/a' is not a number"),
    ),
    "2.0 DATEADDED as a day": (
        "bad_dateadded.CSV",
        gdelt_text([GDELT2_KAZ_MILITARY, with_fields(GDELT2_KAZ_CHINA, DATEADDED="20201115")]),
        dict(row=2, column="DATEADDED", reason="14-digit time"),
    ),
    "duplicated GLOBALEVENTID": (
        "duplicate.CSV",
        gdelt_text([GDELT1_KAZ, GDELT1_OTHER, with_fields(GDELT1_EU_MEMBER, GLOBALEVENTID="564137808")]),
        dict(row=3, column="GLOBALEVENTID", reason="repeated on lines 1, 3"),
    ),
    "no event root code on a kept row (the loader's check)": (
        "no_root.CSV",
        gdelt_text([GDELT1_OTHER, with_fields(GDELT1_KAZ, EventRootCode="")]),
        dict(row=2, column="event_root_code"),
    ),
    "truncated zip": ("truncated.CSV.zip", zipped(TEXT)[:200], dict(reason="not a readable zip archive")),
    "corrupt zip": ("corrupt.CSV.zip", corrupt_zip(), dict(reason="not a readable zip archive")),
    "zip with two members": ("two.CSV.zip", two_members(), dict(reason="2 members")),
    "zip member in a folder": ("folder.CSV.zip", member_in_folder(), dict(reason="has a path")),
    "corrupt gzip": ("corrupt.CSV.gz", gzip.compress(TEXT.encode(), mtime=0)[:40], dict(row=1, reason="gzip")),
    "mentions file": (
        "20170701234500.mentions.CSV",
        gdelt_text([GDELT2_MENTIONS_ROW]),
        dict(row=1, reason="mentions file"),
    ),
    "mentions file with header": (
        "mentions_with_header.tsv",
        gdelt_text([GDELT2_MENTIONS_ROW], header=GDELT2_MENTIONS_HEADER),
        dict(row=1, reason="mentions file"),
    ),
    "GKG file": ("20150218230000.gkg.csv", gdelt_text([GKG_LINE]), dict(row=1, reason="Knowledge Graph")),
    "trade CSV in the gdelt folder": ("easy_comext.csv", relational(), dict(row=1, reason="trade or energy file")),
    "empty file": ("empty.CSV", "", dict(row=1, reason="empty")),
    "header only": ("header_only.tsv", GDELT2_SAMPLE_HEADER + "\n", dict(row=2, reason="no events")),
    "header with a wrong name": (
        "renamed_header.tsv",
        gdelt_text([GDELT2_KAZ_CHINA], header=GDELT2_SAMPLE_HEADER.replace("Actor1CountryCode", "Actor1Country")),
        dict(row=1, column="Actor1CountryCode", reason="'Actor1Country'"),
    ),
    "not UTF-8": (
        "latin1.CSV",
        gdelt_text([GDELT1_OTHER, GDELT1_KAZ.replace("INDUSTRY", "INDUSTR\xc9")]).encode("latin-1"),
        dict(row=2, reason="not UTF-8"),
    ),
    "blank line": ("blank_line.CSV", gdelt_text([GDELT1_OTHER, "", GDELT1_KAZ]), dict(row=2, reason="blank line")),
    "unknown width": (
        "forty_fields.CSV",
        gdelt_text([truncated(GDELT1_KAZ, 40)]),
        dict(row=1, reason="40 tab-separated"),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_file_names_file_row_and_column(con, tmp_path, case):
    name, content, expected = CASES[case]
    folder = tmp_path / "raw" / "gdelt"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    with pytest.raises(RawFileError) as caught:
        land_folder(con, tmp_path / "raw", "gdelt", GDELT, read_gdelt_file)
    error = caught.value
    assert error.file.endswith(name) and name in str(error)
    for key in ("row", "column"):
        if key in expected:
            assert getattr(error, key) == expected[key], str(error)
    if "reason" in expected:
        assert expected["reason"] in str(error)
    # nothing half-loaded: neither the events nor the totals
    assert con.sql("SELECT count(*) FROM raw.gdelt_events").fetchall() == [(0,)]
    assert con.sql("SELECT count(*) FROM raw.gdelt_actor_totals").fetchall() == [(0,)]


def test_oversized_zip_member_refused(tmp_path):
    from pipelines.core.files import extract_single_zip_member

    path = tmp_path / "big.CSV.zip"
    path.write_bytes(zipped(TEXT))
    with pytest.raises(RawFileError, match="bytes unzipped"):
        extract_single_zip_member(path, limit=100)
