"""CN8 selections (a bulk-data extract, flattened data-browser exports) land in tables of their own,
every label and code checked, every refusal naming file, row and column."""

import csv
import gzip
from datetime import datetime
from decimal import Decimal

import pytest

from conftest import shared_file, write
from fixtures_cn8 import BROWSER_HEADER, BROWSER_ROWS, EXTRACT_HEADER, EXTRACT_ROWS, browser, extract
from fixtures_trade import legacy, relational
from pipelines.core.errors import RawFileError
from pipelines.core.files import header_columns
from pipelines.core.landing import land_folder
from pipelines.domains.trade import DOMAIN
from pipelines.domains.trade.readers import read_trade_file, trade_format
from pipelines.domains.trade.schema import (
    BULK_EXTRACT_COLUMNS,
    COMEXT_BULK_EXTRACT_FLOWS,
    COMEXT_DATABROWSER_FLOWS,
    DATABROWSER_COLUMNS,
)

TRADE = DOMAIN.sources[0]


def read(con, path, columns):
    result = read_trade_file(con, path, ("KZ",))
    frame = con.sql(result.select).df()
    assert list(frame.columns) == list(columns)
    return result, frame


def land(con, raw):
    """raw/trade landed as the build lands it: the folder's main table and its other tables."""
    return land_folder(con, raw, "trade", TRADE.table, lambda c, p: read_trade_file(c, p, ("KZ",)), TRADE.other_tables)


# --- the bulk-data extract ----------------------------------------------------------------------


def test_extract_lands_every_partner_in_its_own_table(con, tmp_path):
    result, frame = read(con, write(tmp_path / "crm.csv", extract()), BULK_EXTRACT_COLUMNS)
    assert result.table == COMEXT_BULK_EXTRACT_FLOWS.name and result.rows_read == len(EXTRACT_ROWS)
    # every partner kept, not only the configured KZ: a CN8 extract is cut by code
    assert list(frame.partner_code) == ["AE", "KZ", "GR", "AT", "XS", "KZ", "GB"]
    assert set(frame.reporter_code) == {"AT", "BE", "EL", "NL", "RO"}
    assert set(frame.flow) == {"import"} and set(frame.period_freq) == {"A"}
    assert set(frame.period_code) == {"2022"} and str(frame.period_start[0].date()) == "2022-01-01"
    assert list(frame.product_code[:2]) == ["25041000", "26139000"]  # strings, as published
    assert frame.value_eur[5] == 715414.641  # three decimals kept
    assert frame.quantity_kg.isna().all()
    assert list(frame.source_line) == list(range(2, 2 + len(EXTRACT_ROWS)))


def test_extract_reporter_greece_written_gr_becomes_el(con, tmp_path):
    path = write(tmp_path / "crm.csv", extract(["GR,KZ,26139000,1,202352,5"]))
    _, frame = read(con, path, BULK_EXTRACT_COLUMNS)
    assert (frame.reporter_code[0], frame.period_code[0], frame.period_freq[0]) == ("EL", "202352", "A")


def test_extract_recognised_by_its_columns_not_the_full_bulk_layout(tmp_path):
    assert trade_format(header_columns(write(tmp_path / "a.csv", extract()))) == "comext_bulk_extract"
    assert trade_format(header_columns(write(tmp_path / "b.dat", legacy()))) == "comext_bulk"


def test_extract_and_browser_rows_never_reach_trade_flows(con, tmp_path):
    raw = tmp_path / "raw"
    write(raw / "trade" / "crm.csv", extract())
    write(raw / "trade" / "sanctioned.csv.gz", browser(), compress=True)
    write(raw / "trade" / "relational.csv", relational())
    loads = {load.file: load for load in land(con, raw)}
    assert loads["trade/crm.csv"].raw_table == "raw.comext_bulk_extract_flows"
    assert loads["trade/sanctioned.csv.gz"].raw_table == "raw.comext_databrowser_flows"
    assert loads["trade/relational.csv"].raw_table == "raw.trade_flows"
    counts = {
        t: con.sql(f"SELECT count(*) FROM raw.{t}").fetchall()[0][0]
        for t in ("comext_bulk_extract_flows", "comext_databrowser_flows")
    }
    assert counts == {"comext_bulk_extract_flows": len(EXTRACT_ROWS), "comext_databrowser_flows": len(BROWSER_ROWS)}
    others = "SELECT count(*) FROM raw.trade_flows WHERE _source_file <> 'trade/relational.csv'"
    assert con.sql(others).fetchall() == [(0,)]


EXTRACT_CASES = {
    "missing value column": (
        extract(header=EXTRACT_HEADER.replace(",VALUE_IN_EUROS", ""), rows=[r.rsplit(",", 1)[0] for r in EXTRACT_ROWS]),
        dict(row=1, column="VALUE_IN_EUROS", reason="missing column"),
    ),
    "text in value": (
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1].replace(",31392960", ",31 392 960")]),
        dict(row=3, column="VALUE_IN_EUROS", reason="not a number: '31 392 960'"),
    ),
    "empty value": (
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1].replace(",31392960", ",")]),
        dict(row=3, column="VALUE_IN_EUROS", reason="an empty value"),
    ),
    "seven-digit CN8": (
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1].replace(",26139000,", ",2613900,")]),
        dict(row=3, column="PRODUCT_NC", reason="unknown CN8 product code: '2613900'"),
    ),
    "unknown partner": (
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1].replace(",KZ,", ",ZZ,")]),
        dict(row=3, column="PARTNER_ISO", reason="unknown partner code: 'ZZ'"),
    ),
    "reporter not a member state": (
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1].replace("BE,", "US,", 1)]),
        dict(row=3, column="DECLARANT_ISO", reason="not a member state's code"),
    ),
    "unknown flow": (
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1].replace(",1,2022,", ",3,2022,")]),
        dict(row=3, column="FLOW", reason="unknown flow code"),
    ),
    "month written as a date": (
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1].replace(",2022,", ",2022-01,")]),
        dict(row=3, column="PERIOD", reason="unknown period code"),
    ),
    "duplicated key": (
        extract([EXTRACT_ROWS[0], EXTRACT_ROWS[1], EXTRACT_ROWS[1].replace(",31392960", ",1")]),
        dict(row=4, column="reporter_code", reason="duplicated key"),
    ),
}


@pytest.mark.parametrize("case", EXTRACT_CASES, ids=list(EXTRACT_CASES))
def test_bad_extract_names_file_row_and_column(con, tmp_path, case):
    text, expected = EXTRACT_CASES[case]
    name = f"generated_bad_extract_{case.replace(' ', '_')}.csv"
    write(tmp_path / "raw" / "trade" / name, text)
    with pytest.raises(RawFileError) as caught:
        land(con, tmp_path / "raw")
    assert_names(caught.value, name, expected)
    assert con.sql("SELECT count(*) FROM raw.comext_bulk_extract_flows").fetchall() == [(0,)]


# --- flattened data-browser exports ---------------------------------------------------------------


def test_browser_codes_from_brackets_and_labels_mapped(con, tmp_path):
    result, frame = read(con, write(tmp_path / "sanctioned.csv", browser()), DATABROWSER_COLUMNS)
    assert result.table == COMEXT_DATABROWSER_FLOWS.name
    assert list(frame.product_code) == ["2106", "2106", "2106", "21061020", "84713000"]
    assert frame.product_label[0] == "Food preparations, n.e.s."
    assert frame.product_label[4].endswith("(1996-1997)")  # the label's own parentheses stay in the label
    assert list(frame.reporter_code) == ["DE", "EL", "IE", "BE", "DE"]  # footnotes say nothing about the code
    assert set(frame.partner_code) == {"KZ"} and set(frame.flow) == {"export"}
    assert set(frame.indicator) == {"VALUE_IN_EUROS"}
    assert list(frame.period_code[:2]) == ["2020-01", "2020-02"] and set(frame.period_freq) == {"M"}
    assert (frame.export_file[4], frame.export_sheet[4]) == ("17_4606328_spreadsheet.xlsx", "Sheet 75")
    assert frame.value_eur.tolist() == [306719, 6725, 180, 23, 134644]


def test_browser_not_available_is_null_with_its_flag(con, tmp_path):
    path = write(tmp_path / "sanctioned.csv", browser([BROWSER_ROWS[0].rsplit(",", 1)[0] + ",:"]))
    _, frame = read(con, path, DATABROWSER_COLUMNS)
    assert frame.value_eur.isna().all() and list(frame.obs_flag) == [":"]


BROWSER_CASES = {
    "missing indicator column": (
        browser(
            header=BROWSER_HEADER.replace(",indicator", ""),
            rows=[r.replace(",VALUE_IN_EUROS", "") for r in BROWSER_ROWS],
        ),
        dict(row=1, column="indicator", reason="missing column"),
    ),
    "missing unit": (
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1].replace(",VALUE_IN_EUROS,", ",,")]),
        dict(row=3, column="indicator", reason="is not VALUE_IN_EUROS: an empty value"),
    ),
    "quantity indicator": (
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1].replace(",VALUE_IN_EUROS,", ",QUANTITY_IN_100KG,")]),
        dict(row=3, column="indicator", reason="'QUANTITY_IN_100KG'"),
    ),
    "text in value": (
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1].replace(",6725", ",6 725 EUR")]),
        dict(row=3, column="value_eur", reason="not a number: '6 725 EUR'"),
    ),
    "product without a code": (
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1].replace(" [2106]", "")]),
        dict(row=3, column="product", reason="unknown product"),
    ),
    "CN8 code of seven digits": (
        browser([BROWSER_ROWS[0], BROWSER_ROWS[3].replace("[21061020]", "[2106102]")]),
        dict(row=3, column="product", reason="unknown product"),
    ),
    "unknown reporter label": (
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1].replace(",Greece,", ",Narnia,")]),
        dict(row=3, column="reporter", reason="unknown reporter label: 'Narnia'"),
    ),
    "quarter period": (
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1].replace(",2020-02,", ",2020-Q1,")]),
        dict(row=3, column="period", reason="'2020-Q1'"),
    ),
    "duplicated cell": (
        browser([BROWSER_ROWS[0], BROWSER_ROWS[1], BROWSER_ROWS[0]]),
        dict(row=4, column="reporter_code", reason="duplicated key"),
    ),
}


@pytest.mark.parametrize("case", BROWSER_CASES, ids=list(BROWSER_CASES))
def test_bad_browser_export_names_file_row_and_column(con, tmp_path, case):
    text, expected = BROWSER_CASES[case]
    name = f"generated_bad_browser_{case.replace(' ', '_')}.csv"
    write(tmp_path / "raw" / "trade" / name, text)
    with pytest.raises(RawFileError) as caught:
        land(con, tmp_path / "raw")
    assert_names(caught.value, name, expected)
    assert con.sql("SELECT count(*) FROM raw.comext_databrowser_flows").fetchall() == [(0,)]


def assert_names(error: RawFileError, name: str, expected: dict) -> None:
    assert error.file.endswith(name) and name in str(error), str(error)
    assert error.row == expected["row"], str(error)
    assert error.column == expected["column"], str(error)
    assert expected["reason"] in str(error), str(error)


# --- the real files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, columns",
    [
        ("comext_bulk_extract_EU_imports_critical_raw_materials_cn8_annual_2022-2024.csv", BULK_EXTRACT_COLUMNS),
        (
            "comext_DS-045409_EU_exports_to_KZ_sanctioned_goods_cn8_hs4_by_member_state_monthly_2020-2022.csv.gz",
            DATABROWSER_COLUMNS,
        ),
    ],
    ids=["critical raw materials", "sanctioned goods"],
)
def test_real_file_reads_every_row_and_euro(con, name, columns):
    path = shared_file("trade", name)
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    value = "VALUE_IN_EUROS" if "VALUE_IN_EUROS" in rows[0] else "value_eur"
    result, frame = read(con, path, columns)
    assert result.rows_read == len(frame) == len(rows)
    expected = sum(Decimal(r[value]) for r in rows)
    assert con.sql(f"SELECT sum(value_eur::DECIMAL(38, 3)) FROM ({result.select})").fetchall()[0][0] == expected


# --- the blocking suites ----------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["comext_bulk_extract_flows", "comext_databrowser_flows"])
def test_suite_passes_on_real_rows_and_names_a_negative_value(con, tmp_path, table):
    """The readers accept any number (a sign included): the suite bounds values at zero."""
    from pipelines.core.validation import run_suite

    raw = tmp_path / "raw"
    write(raw / "trade" / "crm.csv", extract([*EXTRACT_ROWS[:2], EXTRACT_ROWS[2].replace(",22551808", ",-22551808")]))
    write(raw / "trade" / "sanctioned.csv", browser([*BROWSER_ROWS[:2], BROWSER_ROWS[2].replace(",180", ",-180")]))
    land(con, raw)
    suite = TRADE.suites[table]
    frame = con.execute(f"SELECT * FROM raw.{table} WHERE source_line < 4").df()
    assert run_suite(f"raw_{table}_suite", frame, suite.expectations(datetime.now()), list(suite.row_locator)).success
    result = run_suite(
        f"raw_{table}_suite",
        con.execute(f"SELECT * FROM raw.{table}").df(),
        suite.expectations(datetime.now()),
        list(suite.row_locator),
    )
    assert [(f.expectation, f.column) for f in result.failed] == [("expect_column_values_to_be_between", "value_eur")]
    assert result.failed[0].samples[0]["source_line"] == 4
