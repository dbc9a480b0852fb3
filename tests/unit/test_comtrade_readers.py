"""The UN Comtrade reader: real rows land in raw.comtrade_flows with codes beside the published
names; every bad cell is refused with file, row and column."""

from __future__ import annotations

import csv
import gzip
import io
from datetime import datetime

import duckdb
import pytest

from conftest import REPO, shared_file
from fixtures_comtrade import COMTRADE_HEADER, COMTRADE_NA_UNIT_ROW, COMTRADE_ROWS, comtrade
from pipelines.core.errors import RawFileError
from pipelines.core.landing import land_folder
from pipelines.core.validation import run_suite
from pipelines.domains.trade.readers import read_trade_file, trade_format
from pipelines.domains.trade.schema import COMTRADE_FLOWS, TRADE_FLOWS
from pipelines.domains.trade.suite import COMTRADE_ROW_LOCATOR, comtrade_expectations

SNAPSHOT = REPO / "raw" / "trade" / "un_comtrade_DE_imports_HS2709_by_origin_and_consignment_2019-2024.csv.gz"
SHARED = ("trade", "comtrade_germany_crude_imports_hs2709_by_origin_and_consignment_2019-2024.csv")


def land(tmp_path, content: bytes, con, name: str = "comtrade.csv"):
    folder = tmp_path / "raw" / "trade"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    return land_folder(
        con, tmp_path / "raw", "trade", TRADE_FLOWS, lambda c, p: read_trade_file(c, p, ("KZ",)), (COMTRADE_FLOWS,)
    )


def landed(con) -> list[tuple]:
    return con.execute(
        "SELECT partner_code, partner2_label, partner2_code, hs_code, flow, quantity, quantity_unit, value_usd, "
        "source_line FROM raw.comtrade_flows ORDER BY source_line"
    ).fetchall()


def test_real_rows_land_with_codes_beside_the_published_names(tmp_path, con):
    loads = land(tmp_path, comtrade(), con)
    assert [(load.status, load.raw_table, load.source_format, load.rows_kept) for load in loads] == [
        ("loaded", "raw.comtrade_flows", "un_comtrade_csv", 5)
    ]
    assert landed(con) == [
        ("KZ", "Russian Federation", "RU", "2709", "import", 2594005000.0, "kg", 1576961484.0, 2),
        ("KZ", "Netherlands", "NL", "2709", "import", 423997000.0, "kg", 264687339.1, 3),
        ("KZ", "Türkiye", "TR", "2709", "import", 101398000.0, "kg", 62181046.06, 4),
        ("KZ", "Kazakhstan", "KZ", "2709", "import", 7467900000.0, "kg", 4454179917.0, 5),
        ("KZ", "World", "WORLD", "2709", "import", 10587300000.0, "kg", 6358009786.0, 6),
    ]
    assert con.execute("SELECT DISTINCT year, reporter_label, reporter_code FROM raw.comtrade_flows").fetchall() == [
        (2024, "Germany", "DE")
    ]
    assert con.execute("SELECT count(*) FROM raw.trade_flows").fetchall() == [(0,)]


def test_a_utf8_extract_lands_the_same_rows(tmp_path, con):
    land(tmp_path, comtrade(encoding="utf-8"), con)
    assert [row[:-1] for row in landed(con)][2] == (
        "KZ",
        "Türkiye",
        "TR",
        "2709",
        "import",
        101398000.0,
        "kg",
        62181046.06,
    )


def test_comtrades_na_unit_is_kept_as_published(tmp_path, con):
    land(tmp_path, comtrade([COMTRADE_NA_UNIT_ROW]), con)
    assert [row[:8] for row in landed(con)] == [
        ("NO", "World", "WORLD", "2709", "import", 8314234040.0, "N/A", 4061066612.0)
    ]


def test_a_trade_flow_column_is_read_where_present(tmp_path, con):
    rows = [row + ",Export" for row in COMTRADE_ROWS[:2]]
    land(tmp_path, comtrade(rows, header=COMTRADE_HEADER + ",Trade Flow"), con)
    assert {row[4] for row in landed(con)} == {"export"}


def test_a_flow_other_than_import_or_export_is_refused(tmp_path, con):
    rows = [COMTRADE_ROWS[0] + ",Import", COMTRADE_ROWS[1] + ",Re-export"]
    with pytest.raises(RawFileError, match="unknown trade flow") as error:
        land(tmp_path, comtrade(rows, header=COMTRADE_HEADER + ",Trade Flow"), con)
    assert (error.value.row, error.value.column) == (3, "Trade Flow")


def test_the_header_decides_the_format_not_the_name():
    assert trade_format(COMTRADE_HEADER.split(",")) == "un_comtrade_csv"
    assert trade_format(COMTRADE_HEADER.replace(",Partner2", "").split(",")) is None


ROW = COMTRADE_ROWS[0]
BAD = {  # case -> (rows, line, column, words)
    "non-numeric quantity": ([ROW.replace(",2594005000,", ",2.594e9 kg,")], 2, "Quantity", "not a number"),
    "thousands separators": ([ROW.replace(",1576961484", ',"1,576,961,484"')], 2, "Trade Value", "not a number"),
    "no trade value": ([COMTRADE_ROWS[1], ROW.replace(",1576961484", ",")], 3, "Trade Value", "no trade value"),
    "missing unit": ([ROW.replace(",kg,", ",,")], 2, "Quantity Unit", "without its unit"),
    "unit not kg": ([ROW.replace(",kg,", ",bbl,")], 2, "Quantity Unit", "not one of kg, N/A"),
    "bad year": ([COMTRADE_ROWS[1], ROW.replace("2024,", "FY24,", 1)], 3, "Year", "not a year"),
    "unknown partner": ([ROW.replace(",Russian Federation,", ",Atlantis,")], 2, "Partner2", "unknown second partner"),
    "reporter not a country": ([ROW.replace("2024,Germany,", "2024,World,")], 2, "Country", "unknown reporter"),
    "unknown commodity": (
        [ROW.replace("Oils; petroleum", "Gas; natural")],
        2,
        "Commodity Description",
        "not in seed comtrade_commodities",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_cells_are_refused_with_file_row_and_column(tmp_path, con, case):
    rows, line, column, words = BAD[case]
    with pytest.raises(RawFileError) as error:
        land(tmp_path, comtrade(rows), con)
    assert (error.value.row, error.value.column) == (line, column), str(error.value)
    assert "trade/comtrade.csv" in str(error.value) and words in str(error.value)
    assert con.execute("SELECT count(*) FROM raw.comtrade_flows").fetchall() == [(0,)]


def test_a_missing_column_is_named(tmp_path, con):
    header = COMTRADE_HEADER.replace(",Quantity Unit", "")
    rows = [row.replace(",kg,", ",") for row in COMTRADE_ROWS]
    with pytest.raises(RawFileError, match="missing column") as error:
        land(tmp_path, comtrade(rows, header=header), con)
    assert (error.value.row, error.value.column) == (1, "Quantity Unit")


def test_a_partner_pair_listed_twice_names_both_lines(tmp_path, con):
    with pytest.raises(RawFileError, match=r"duplicated key .* on lines \[2, 4\]") as error:
        land(tmp_path, comtrade([ROW, COMTRADE_ROWS[1], ROW.replace("1576961484", "1")]), con)
    assert error.value.row == 4


def suite_outcome(con):
    frame = con.execute("SELECT * FROM raw.comtrade_flows").df()
    return run_suite("raw_comtrade_flows_suite", frame, comtrade_expectations(datetime.now()), COMTRADE_ROW_LOCATOR)


def test_the_suite_passes_on_real_rows_and_names_an_implausible_value(tmp_path, con):
    land(tmp_path, comtrade(), con)
    assert suite_outcome(con).success
    con.execute("UPDATE raw.comtrade_flows SET value_usd = 6358009786e6 WHERE source_line = 6")  # a unit error
    failed = suite_outcome(con).failed
    assert [(f.expectation, f.column) for f in failed] == [("expect_column_values_to_be_between", "value_usd")]
    assert failed[0].samples[0]["source_line"] == 6


def read_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("latin-1"), newline="")))


def test_the_real_extract_lands_whole_with_the_readme_figures(con):
    path = shared_file(*SHARED)
    result = read_trade_file(con, path, ("KZ",))
    rows = con.execute(
        f"SELECT partner_code, partner2_code, year, quantity, value_usd FROM ({result.select})"
    ).fetchall()
    assert result.table == "comtrade_flows" and len(rows) == result.rows_read == len(read_rows(path.read_bytes()))
    kazakh = {(p2, year): (mass, value) for p, p2, year, mass, value in rows if p == "KZ"}
    # shared README: Kazakhstan 2024 10.59 Mt, of which 2.59 Mt via Russia; 2020 USD 2,495.2 m
    assert round(kazakh[("WORLD", 2024)][0] / 1e9, 2) == 10.59
    assert round(kazakh[("RU", 2024)][0] / 1e9, 2) == 2.59
    assert round(kazakh[("WORLD", 2020)][1] / 1e6, 1) == 2495.2


def test_the_embedded_snapshot_holds_the_extract_byte_for_byte():
    source = shared_file(*SHARED).read_bytes()
    with gzip.open(SNAPSHOT, "rb") as handle:
        assert handle.read() == source


def test_the_embedded_snapshot_lands(tmp_path):
    with duckdb.connect() as con:
        loads = land(tmp_path, SNAPSHOT.read_bytes(), con, name=SNAPSHOT.name)
        with gzip.open(SNAPSHOT, "rb") as handle:
            assert loads[0].rows_kept == len(read_rows(handle.read()))
