"""The ICEWS sample reader: real rows land in raw.icews_events as written, with the subset and split
they come from; unknown actors, bad days and splits of unknown coverage are refused by row and column."""

from __future__ import annotations

import csv
import gzip
import io
from datetime import datetime

import pytest

from conftest import REPO, shared_file, write
from fixtures_icews import ICEWS05_15_VALID, ICEWS_HEADER, ICEWS_ROWS, icews
from pipelines.core.errors import RawFileError
from pipelines.core.landing import land_folder
from pipelines.core.seeds import read_seed
from pipelines.core.validation import run_suite
from pipelines.domains.diplomacy.readers import read_events_file
from pipelines.domains.diplomacy.schema import EVENT_CATALOGUE, ICEWS_EVENTS
from pipelines.domains.diplomacy.suite import ICEWS_ROW_LOCATOR, icews_expectations

SNAPSHOT = REPO / "raw" / "events" / "icews_kazakhstan_events_sample_2005-2018.tsv.gz"
SHARED = ("events", "icews_kazakhstan_events_subset_2005-2018.tsv")
SHARED_EU = ("events", "icews_kazakhstan_eu_events_subset_2005-2018.tsv")


def land(tmp_path, text: str, con, name: str = "icews.tsv"):
    write(tmp_path / "raw" / "events" / name, text)
    return land_folder(con, tmp_path / "raw", "events", EVENT_CATALOGUE, read_events_file, (ICEWS_EVENTS,))


def test_real_rows_land_as_written_with_their_subset_and_split(tmp_path, con):
    loads = land(tmp_path, icews(), con)
    assert [(load.status, load.raw_table, load.source_format, load.rows_kept) for load in loads] == [
        ("loaded", "raw.icews_events", "icews_kg_tsv", len(ICEWS_ROWS))
    ]
    rows = con.execute(
        "SELECT source_actor, event_text, target_actor, event_date::varchar, origin_dataset, origin_split, source_line "
        "FROM raw.icews_events ORDER BY source_line"
    ).fetchall()
    assert rows[0] == ("François Hollande", "Make a visit", "Kazakhstan", "2014-12-04", "ICEWS14", "test", 2)
    assert rows[2][4:6] == ("ICEWS05-15", "valid")
    assert rows[-1][4:6] == ("ICEWS18", "valid")
    assert con.execute("SELECT count(*) FROM raw.event_catalogue").fetchall() == [(0,)]


ROW = ICEWS_ROWS[0]
BAD = {  # case -> (rows, line, column, words)
    "bad date": ([ICEWS_ROWS[1], ROW.replace("2014-12-04", "04/12/2014")], 3, "event_date", "YYYY-MM-DD"),
    "impossible date": ([ROW.replace("2014-12-04", "2014-02-30")], 2, "event_date", "YYYY-MM-DD"),
    "unknown source actor": (
        [ROW.replace("François Hollande", "Jean Dupont")],
        2,
        "source_actor",
        "not placed on a side",
    ),
    "unknown target actor": (
        [ICEWS_ROWS[1].replace("\tFrançois Hollande\t", "\tGeneric Minister\t")],
        2,
        "target_actor",
        "not placed on a side",
    ),
    "empty label": ([ROW.replace("Make a visit", "")], 2, "event_text_cameo_label", "a value is required"),
    "split not in the sample": (
        [ROW.replace("ICEWS14, test", "ICEWS14, dev")],
        2,
        "origin_repo_file",
        "icews_sample_coverage",
    ),
    "dataset not in the sample": (
        [ROW.replace("ICEWS14 (", "GDELT (")],
        2,
        "origin_repo_file",
        "icews_sample_coverage",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_rows_are_refused_with_file_row_and_column(tmp_path, con, case):
    rows, line, column, words = BAD[case]
    with pytest.raises(RawFileError) as error:
        land(tmp_path, icews(rows), con)
    assert (error.value.row, error.value.column) == (line, column), str(error.value)
    assert "events/icews.tsv" in str(error.value) and words in str(error.value)
    assert con.execute("SELECT count(*) FROM raw.icews_events").fetchall() == [(0,)]


def test_a_missing_column_is_named(tmp_path, con):
    header = ICEWS_HEADER.replace("\torigin_repo_file", "")
    with pytest.raises(RawFileError, match="missing column") as error:
        land(tmp_path, icews([r.rsplit("\t", 1)[0] for r in ICEWS_ROWS], header=header), con)
    assert (error.value.row, error.value.column) == (1, "origin_repo_file")


def test_a_row_repeated_within_a_file_names_both_lines(tmp_path, con):
    with pytest.raises(RawFileError, match=r"duplicated key .* on lines \[2, 4\]") as error:
        land(tmp_path, icews([ROW, ICEWS_ROWS[1], ROW]), con)
    assert error.value.row == 4


def test_a_trade_file_in_the_events_folder_is_refused(tmp_path, con):
    with pytest.raises(RawFileError, match="not recognised") as error:
        land(tmp_path, "Year,Country,Partner,Partner2,Commodity Description,Quantity,Quantity Unit,Trade Value\n", con)
    assert error.value.row == 1


def test_every_seeded_actor_has_a_reason_and_kazakh_actors_are_kz():
    actors = read_seed("icews_actors")
    assert all(row["reason"].strip() for row in actors)
    assert all(row["country_code"] == "KZ" for row in actors if row["actor_label"].endswith("(Kazakhstan)"))


def test_the_suite_passes_on_real_rows_and_names_a_future_day(tmp_path, con):
    land(tmp_path, icews(), con)

    def outcome():
        frame = con.execute("SELECT * FROM raw.icews_events").df()
        return run_suite("raw_icews_events_suite", frame, icews_expectations(datetime.now()), ICEWS_ROW_LOCATOR)

    assert outcome().success
    con.execute("UPDATE raw.icews_events SET event_date = DATE '2099-01-01' WHERE source_line = 3")
    failed = outcome().failed
    assert [(f.expectation, f.column) for f in failed] == [("expect_column_values_to_be_between", "event_date")]
    assert failed[0].samples[0]["source_line"] == 3


def tsv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("parts", [SHARED, SHARED_EU], ids=["every row with Kazakhstan", "the EU subset"])
def test_the_real_extracts_land_whole(con, parts):
    path = shared_file(*parts)
    result = read_events_file(con, path)
    assert result.table == "icews_events"
    landed = con.execute(f"SELECT count(*), count(DISTINCT origin_repo_file) FROM ({result.select})").fetchall()[0]
    rows = tsv_rows(path.read_bytes())[1:]
    assert landed == (len(rows), len({row[4] for row in rows}))


def test_the_embedded_snapshot_holds_the_extract_byte_for_byte():
    source = shared_file(*SHARED).read_bytes()
    with gzip.open(SNAPSHOT, "rb") as handle:
        assert handle.read() == source


def test_the_embedded_snapshot_lands(tmp_path, con):
    (tmp_path / "raw" / "events").mkdir(parents=True)
    (tmp_path / "raw" / "events" / SNAPSHOT.name).write_bytes(SNAPSHOT.read_bytes())
    loads = land_folder(con, tmp_path / "raw", "events", EVENT_CATALOGUE, read_events_file, (ICEWS_EVENTS,))
    with gzip.open(SNAPSHOT, "rb") as handle:
        assert loads[0].rows_kept == len(tsv_rows(handle.read())) - 1
    assert ICEWS05_15_VALID in {r[0] for r in con.execute("SELECT origin_repo_file FROM raw.icews_events").fetchall()}
