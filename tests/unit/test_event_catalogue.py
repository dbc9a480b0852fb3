"""The diplomatic-event catalogue reader: real rows in, cited rows out; bad rows named by line and column."""

from __future__ import annotations

import pytest

from conftest import REPO, write
from pipelines.core.errors import RawFileError
from pipelines.core.landing import land_folder
from pipelines.domains.diplomacy.readers import read_events_file
from pipelines.domains.diplomacy.schema import EVENT_CATALOGUE

HEADER = "event_id,date_start,date_end,date_precision,event_type,title,location,participants,source_url,notes"
# Two real rows of raw/events/kz_eu_diplomatic_events.csv (KZEU-0013, KZEU-0020).
ROWS = [
    "KZEU-0013,2022-11-07,,day,agreement_signed,"
    '"MoU on strategic partnership on sustainable raw materials, batteries and renewable hydrogen (signed at COP27)",'
    "Sharm el-Sheikh,EU;KAZ,"
    "https://www.wired-gov.net/wg/news.nsf/articles/cop27+european+union+concludes+a+strategic+partnership+with"
    "+kazakhstan+on+raw+materials+batteries+and+renewable+hydrogen+08112022123800?open,"
    "Copy of the Commission press release (8 Nov 2022: 'yesterday signed'); signed by Commission President "
    "von der Leyen and PM Alikhan Smailov. Roadmap 2023-2024 approved 19 May 2023 (KZEU-0060); "
    "roadmap 2025-2026 endorsed 4 Apr 2025 (KZEU-0064).",
    "KZEU-0020,2025-04-04,,day,summit,"
    "First EU-Central Asia Summit; EU-Central Asia strategic partnership; EUR 12 bn Global Gateway package,"
    "Samarkand,EU;KAZ;KGZ;TJK;TKM;UZB,"
    "https://abcnews.go.com/Business/wireStory/eu-leaders-hold-summit-central-asian-states-120479223,"
    '"CORRECTED from seed (2025-04-03 to 2025-04-04): the summit itself was held on Friday 4 April 2025 '
    "(AP; main results copy on ieu-monitoring.com); 3 April saw arrivals and bilateral meetings, incl. Tokayev "
    'with Costa and von der Leyen (qazinform.com, 2025-04-03). EU represented by Costa and von der Leyen."',
]
URL_13 = ROWS[0].split("Sharm el-Sheikh,EU;KAZ,")[1].split(",")[0]
TITLE_13 = ROWS[0].split(",day,agreement_signed,")[1].split(",Sharm")[0]


def land(tmp_path, text: str, con):
    write(tmp_path / "raw" / "events" / "catalogue.csv", text)
    return land_folder(con, tmp_path / "raw", "events", EVENT_CATALOGUE, read_events_file)


def test_catalogue_rows_land_with_dates_and_sources(tmp_path, con):
    loads = land(tmp_path, "\n".join([HEADER, *ROWS]) + "\n", con)
    assert [(load.status, load.rows_kept) for load in loads] == [("loaded", 2)]
    rows = con.execute(
        "SELECT event_id, date_start::varchar, date_precision, event_type, participants, source_line "
        "FROM raw.event_catalogue ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("KZEU-0013", "2022-11-07", "day", "agreement_signed", "EU;KAZ", 2),
        ("KZEU-0020", "2025-04-04", "day", "summit", "EU;KAZ;KGZ;TJK;TKM;UZB", 3),
    ]


def test_the_embedded_catalogue_is_cited_and_large_enough(con):
    result = read_events_file(con, REPO / "raw" / "events" / "kz_eu_diplomatic_events.csv")
    counts = con.execute(
        "SELECT count(*), count(DISTINCT event_id), count(source_url), min(date_start), max(date_start) "
        f"FROM ({result.select})"
    ).fetchall()[0]
    assert counts[0] >= 40 and counts[0] == counts[1] == counts[2]
    assert counts[3].year >= 1991 and counts[4].year <= 2025


BAD = {
    "no source url": (ROWS[0].replace(URL_13, ""), 2, "source_url", "cite"),
    "url not http": (ROWS[0].replace("https://", "ftp://"), 2, "source_url", "http"),
    "bad date": (ROWS[0].replace("2022-11-07", "07/11/2022"), 2, "date_start", "YYYY-MM-DD"),
    "impossible date": (ROWS[0].replace("2022-11-07", "2022-02-30"), 2, "date_start", "YYYY-MM-DD"),
    "end before start": (ROWS[0].replace("2022-11-07,,", "2022-11-07,2022-11-01,"), 2, "date_end", "before"),
    "bad precision": (ROWS[0].replace(",day,", ",week,"), 2, "date_precision", "day, month or year"),
    "empty title": (ROWS[0].replace(TITLE_13, '""'), 2, "title", "required"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_rows_name_file_row_and_column(tmp_path, con, case):
    row, line, column, words = BAD[case]
    with pytest.raises(RawFileError) as error:
        land(tmp_path, "\n".join([HEADER, row, ROWS[1]]) + "\n", con)
    assert (error.value.row, error.value.column) == (line, column)
    assert "events/catalogue.csv" in str(error.value) and words in str(error.value)
    assert con.execute("SELECT count(*) FROM raw.event_catalogue").fetchall() == [(0,)]


def test_duplicated_event_id_names_both_lines(tmp_path, con):
    with pytest.raises(RawFileError, match=r"lines 2, 3") as error:
        land(tmp_path, "\n".join([HEADER, ROWS[0], ROWS[0]]) + "\n", con)
    assert error.value.row == 3


def test_a_trade_file_in_the_events_folder_is_refused(tmp_path, con):
    with pytest.raises(RawFileError, match="not recognised as the diplomatic-event catalogue") as error:
        land(tmp_path, "REPORTER,PARTNER,PRODUCT,FLOW,STAT_PROCEDURE,PERIOD,VALUE_IN_EUR\n", con)
    assert error.value.row == 1
