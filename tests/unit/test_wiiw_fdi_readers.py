"""The wiiw FDI Database export, by partner and by activity, lands as published: one row per series
and year with EUR million and wiiw's share side by side; every bad input is refused with file, row
and column; the finance domain is one package and one registry line."""

from __future__ import annotations

import csv
import gzip
import io
from datetime import datetime

import duckdb
import pytest

from conftest import REPO, shared_file, write
from fixtures_finance import (
    ACTIVITY_FILE,
    EUR_MILLION,
    INFLOW,
    PARTNER_FILE,
    PCT_OF_TOTAL,
    SNAPSHOT,
    STOCK,
    activity_header,
    activity_lines,
    cells,
    partner_header,
    partner_lines,
    partners,
    snapshot_lines,
    wiiw,
    with_cell,
)
from pipelines.core.errors import RawFileError
from pipelines.core.landing import land_folder
from pipelines.core.validation import run_suite
from pipelines.domains import raw_folders, raw_sources
from pipelines.domains.finance import DOMAIN
from pipelines.domains.finance.readers import read_finance_file
from pipelines.domains.finance.schema import FDI_BY_ACTIVITY_COLUMNS, FDI_BY_PARTNER_COLUMNS

SOURCE = DOMAIN.sources[0]
README_STOCK_2021 = {"EU27_2020": 68294.7, "NL": 52143.1, "FR": 11651.9}  # ../shared/data/README.md cross-checks


def read(con, path):
    result = read_finance_file(con, path)
    return result.table, con.sql(result.select).df()


def real_cell(line: str, column: str) -> str:
    return cells(line)[cells(partner_header()).index(column)]


def one(frame, **where):
    match = frame
    for column, value in where.items():
        match = match[match[column] == value]
    assert len(match) == 1, where
    return match.iloc[0]


def published(lines: list[str], header: str, code_column: str) -> dict[tuple, str]:
    """(code, direction, unit, year) -> the cell as written, read with the csv module."""
    names = cells(header)
    out = {}
    for line in lines:
        row = dict(zip(names, cells(line), strict=True))
        for name in names:
            if name.startswith("_"):
                out[(row[code_column], row["Direction"], row["Unit"], int(name[1:]))] = row[name]
    return out


# --- the two shapes -------------------------------------------------------------------------------


def test_partner_export_lands_amount_and_share_side_by_side(con, tmp_path):
    lines = partner_lines("WORLD", "EU27_2020", "NL", "HR", directions=(INFLOW, STOCK))
    table, frame = read(con, write(tmp_path / "generated_partners.csv", wiiw(partner_header(), lines)))
    assert table == "fdi_by_partner"
    assert list(frame.columns) == list(FDI_BY_PARTNER_COLUMNS)
    years = [int(c[1:]) for c in cells(partner_header()) if c.startswith("_")]
    assert len(frame) == 4 * 2 * len(years)  # partners x directions x years: one row per series and year
    cell = published(lines, partner_header(), "Partner-Code")
    for (code, direction, unit, year), text in cell.items():
        row = one(frame, partner_code=code, direction={INFLOW: "inflow", STOCK: "inward_stock"}[direction], year=year)
        value = row["value_eur_million"] if unit == EUR_MILLION else row["share_of_total_pct"]
        assert (value != value) if text == "." else value == float(text), (code, direction, unit, year)
    nl = one(frame, partner_code="NL", direction="inward_stock", year=years[-1])
    assert nl["partner_name"] == "Netherlands" and nl["reporter_code"] == "KZ"
    assert nl["share_source_line"] == nl["source_line"] + 1  # wiiw writes the share under its amount
    assert nl["source_note"] == "National Bank of Kazakhstan" and nl["footnote"] is None  # wiiw's '-'


def test_exponent_cells_and_not_available_marks(con, tmp_path):
    """Croatia's real inflow shares are written 4.7E-5; its early years are '.', never a zero."""
    lines = partner_lines("HR", directions=(INFLOW,))
    assert any("E-" in line for line in lines)
    _, frame = read(con, write(tmp_path / "generated_croatia.csv", wiiw(partner_header(), lines)))
    cell = published(lines, partner_header(), "Partner-Code")
    exponent = next(k for k, v in cell.items() if "E-" in v)
    assert one(frame, year=exponent[3])["share_of_total_pct"] == float(cell[exponent])
    missing = next(k for k, v in cell.items() if v == ".")
    assert one(frame, year=missing[3])["value_eur_million"] != one(frame, year=missing[3])["value_eur_million"]


def test_activity_export_keeps_nace_codes_and_both_shares(con, tmp_path):
    lines = activity_lines("Total", "B  ", "C")
    table, frame = read(con, write(tmp_path / "generated_activities.csv", wiiw(activity_header(), lines)))
    assert table == "fdi_by_activity"
    assert list(frame.columns) == list(FDI_BY_ACTIVITY_COLUMNS)
    assert set(frame["activity_code"]) == {
        "TOTAL",
        "B",
        "C",
        "CA",
        "CB",
        "CC",
        "CD",
        "CE",
        "CF",
        "CG",
        "CH",
        "CI",
        "CJ",
        "CK",
        "CL",
        "CM",
    }
    division = one(frame, activity_code="CH", year=2021)
    assert division["activity_level"] == "NACE 2-letter - Manufacturing"
    names = cells(activity_header())
    line = next(
        cells(x)
        for x in lines
        if cells(x)[names.index("Industry/Product")].startswith("CH")
        and cells(x)[names.index("Unit")] == "in % of total manufacturing"
    )
    assert division["share_of_manufacturing_pct"] == float(line[names.index("_2021")])
    assert division["share_of_total_pct"] != division["share_of_total_pct"]  # wiiw gives divisions no such share
    mining = one(frame, activity_code="B", year=2021)
    assert "reclassification" in mining["footnote"]


def test_gzip_and_any_name(con, tmp_path):
    text = partners("NL")
    plain = read(con, write(tmp_path / "a.csv", text))[1]
    packed = read(con, write(tmp_path / "no_extension", text, compress=True))[1]
    assert plain.equals(packed)


def test_snapshot_lands_whole_with_suites_passing(tmp_path):
    con = duckdb.connect()
    loads = land_folder(con, REPO / "raw", "finance", SOURCE.table, SOURCE.reader(None), SOURCE.other_tables)
    assert {(load.file, load.raw_table) for load in loads} == {
        (f"finance/{PARTNER_FILE}", "raw.fdi_by_partner"),
        (f"finance/{ACTIVITY_FILE}", "raw.fdi_by_activity"),
    }
    for name, count in ((PARTNER_FILE, "fdi_by_partner"), (ACTIVITY_FILE, "fdi_by_activity")):
        header, *lines = snapshot_lines(name)
        amounts = sum(1 for line in lines if f'"{EUR_MILLION}"' in line)
        years = sum(1 for c in cells(header) if c.startswith("_"))
        assert con.sql(f"SELECT count(*) FROM raw.{count}").fetchall() == [(amounts * years,)]
    stock = dict(
        con.execute(
            "SELECT partner_code, value_eur_million FROM raw.fdi_by_partner WHERE direction = 'inward_stock' "
            "AND year = 2021 AND partner_code IN ('EU27_2020', 'NL', 'FR')"
        ).fetchall()
    )
    assert {code: round(value, 1) for code, value in stock.items()} == README_STOCK_2021
    today = datetime.now()
    for table, suite in SOURCE.suites.items():
        outcome = run_suite(
            f"raw_{table}_suite",
            con.sql(f"SELECT * FROM raw.{table}").df(),
            suite.expectations(today),
            list(suite.row_locator),
        )
        assert outcome.success, [(f.expectation, f.column, f.samples[:2]) for f in outcome.failed]


# --- bad input: refused with file, row and column -------------------------------------------------


def bad_partner_file(tmp_path, name: str, lines: list[str]):
    return write(tmp_path / name, wiiw(partner_header(), lines))


def refused(con, path) -> RawFileError:
    with pytest.raises(RawFileError) as caught:
        read(con, path)
    assert caught.value.file.endswith(path.name)
    return caught.value


def test_missing_unit_cell(con, tmp_path):
    world, share, nl, nl_share = partner_lines("WORLD", "NL")
    error = refused(
        con,
        bad_partner_file(
            tmp_path, "generated_bad_missing_unit.csv", [world, share, with_cell(nl, "Unit", ""), nl_share]
        ),
    )
    assert (error.row, error.column) == (4, "Unit") and "missing unit" in error.reason


def test_missing_unit_column(con, tmp_path):
    header = ",".join(c for c in partner_header().split(",") if c != '"Unit"')
    lines = [
        ",".join(c for c in line.split(",") if c not in (f'"{EUR_MILLION}"', f'"{PCT_OF_TOTAL}"'))
        for line in partner_lines("NL")
    ]
    error = refused(con, write(tmp_path / "generated_bad_no_unit_column.csv", wiiw(header, lines)))
    assert (error.row, error.column) == (1, "Unit") and "missing column" in error.reason


def test_share_without_its_amount(con, tmp_path):
    world, share, _, nl_share = partner_lines("WORLD", "NL")
    error = refused(con, bad_partner_file(tmp_path, "generated_bad_share_only.csv", [world, share, nl_share]))
    assert (error.row, error.column) == (4, "Unit") and "missing unit" in error.reason


def test_unknown_unit(con, tmp_path):
    (nl, _) = partner_lines("NL")
    error = refused(con, bad_partner_file(tmp_path, "generated_bad_unit.csv", [with_cell(nl, "Unit", "USD m")]))
    assert (error.row, error.column) == (2, "Unit") and "unknown unit" in error.reason


@pytest.mark.parametrize(
    "spoil",
    [
        lambda real: "n/a",
        lambda real: real + " e",  # an estimate mark: wiiw has none, so it is not taken for a number
        lambda real: '"' + real.replace(".", ",") + '"',  # quoted, so one cell
    ],
    ids=["n/a", "estimate mark", "decimal comma"],
)
def test_a_value_that_is_not_a_number(con, tmp_path, spoil):
    nl, nl_share = partner_lines("NL")
    spoilt = with_cell(nl_share, "_2015", spoil(real_cell(nl_share, "_2015")))
    error = refused(con, bad_partner_file(tmp_path, "generated_bad_value.csv", [nl, spoilt]))
    assert (error.row, error.column) == (3, "_2015") and "not a number: " in error.reason


def test_a_cell_too_many(con, tmp_path):
    """A stray comma (an unquoted decimal comma) adds a cell: the row is named."""
    nl, nl_share = partner_lines("NL")
    decimal_comma = real_cell(nl_share, "_2015").replace(".", ",")
    path = bad_partner_file(tmp_path, "generated_bad_extra_cell.csv", [nl, with_cell(nl_share, "_2015", decimal_comma)])
    error = refused(con, path)
    assert error.row == 3 and "Found: 29" in error.reason


def test_an_empty_cell(con, tmp_path):
    (nl, _) = partner_lines("NL")
    error = refused(con, bad_partner_file(tmp_path, "generated_bad_empty_cell.csv", [with_cell(nl, "_2021", "")]))
    assert (error.row, error.column) == (2, "_2021") and "empty cell" in error.reason


def test_a_partner_listed_twice(con, tmp_path):
    nl, nl_share = partner_lines("NL")
    error = refused(con, bad_partner_file(tmp_path, "generated_bad_duplicate.csv", [nl, nl_share, nl]))
    assert (error.row, error.column) == (4, "Partner-Code") and "on lines 2, 4" in error.reason


def test_unknown_partner_code(con, tmp_path):
    nl, nl_share = partner_lines("NL")
    narnia = with_cell(with_cell(nl_share, "Partner-Code", "XN"), "Partner", "Narnia")
    error = refused(con, bad_partner_file(tmp_path, "generated_bad_partner.csv", [nl, narnia]))
    assert (error.row, error.column) == (3, "Partner-Code")
    assert "unknown partner code" in error.reason and "'XN'" in error.reason


def test_partner_code_under_another_name(con, tmp_path):
    (nl, _) = partner_lines("NL")
    error = refused(con, bad_partner_file(tmp_path, "generated_bad_name.csv", [with_cell(nl, "Partner", "Germany")]))
    assert (error.row, error.column) == (2, "Partner") and "'NL named Germany'" in error.reason


@pytest.mark.parametrize(
    "column, value, reason",
    [
        ("Direction", "FDI stock", "unknown direction"),
        ("Tree Level 1", "FDI by activities", "not a row of 'FDI by partner'"),
        ("Country-Code", "Kazakhstan", "unknown country code"),
    ],
)
def test_unknown_codes(con, tmp_path, column, value, reason):
    (nl, _) = partner_lines("NL")
    error = refused(con, bad_partner_file(tmp_path, "generated_bad_code.csv", [with_cell(nl, column, value)]))
    assert (error.row, error.column) == (2, column) and reason in error.reason


def test_header_moved_or_year_unreadable(con, tmp_path):
    lines = partner_lines("NL")
    misspelt = partner_header().replace("_2015", "_20l5")
    error = refused(con, write(tmp_path / "generated_bad_year.csv", wiiw(misspelt, lines)))
    assert (error.row, error.column) == (1, "_20l5")
    no_header = write(tmp_path / "generated_bad_no_header.csv", wiiw(lines[0], lines[1:]))
    assert refused(con, no_header).row == 1


def test_unreadable_activity(con, tmp_path):
    (line, *_) = activity_lines("B  ")
    bad = with_cell(line, "Industry/Product", "Mining and quarrying", header=activity_header())
    error = refused(con, write(tmp_path / "generated_bad_activity.csv", wiiw(activity_header(), [bad])))
    assert (error.row, error.column) == (2, "Industry/Product") and "unreadable activity" in error.reason


@pytest.mark.parametrize(
    "domain, name, folder",
    [
        ("trade", "easy_comext_exports_to_KZ_by_reporter_monthly_2019-2024.csv.gz", "raw/trade/"),
        ("energy", "dg_ener_crude_oil_import_register_EU28_monthly_2013-2019.csv.gz", "raw/energy/"),
        ("energy", "eurostat_nrg_ti_oil_crude_from_KZ_by_importer_annual_1990-2022.tsv.gz", "raw/energy/"),
        ("events", "kz_eu_diplomatic_events.csv", "raw/events/"),
    ],
)
def test_another_domains_file_names_its_folder(con, tmp_path, domain, name, folder):
    path = tmp_path / name
    path.write_bytes((REPO / "raw" / domain / name).read_bytes())
    error = refused(con, path)
    assert error.row == 1 and f"it belongs in {folder}" in error.reason


def test_fdi_file_in_another_domains_folder_is_refused(tmp_path):
    """Dropped in raw/energy or raw/trade, the wiiw export is refused with that folder's message."""
    for domain, source in raw_sources():
        if source.folder == "finance":
            continue
        folder = tmp_path / source.folder
        folder.mkdir()
        (folder / PARTNER_FILE).write_bytes((SNAPSHOT / PARTNER_FILE).read_bytes())
        with pytest.raises(RawFileError) as caught:
            land_folder(
                duckdb.connect(), tmp_path, source.folder, source.table, source.reader(_settings()), source.other_tables
            )
        assert PARTNER_FILE in str(caught.value), domain.name


def _settings():
    from pipelines.settings import load_settings

    return load_settings()


# --- the suites guard what the reader accepts -----------------------------------------------------


def test_suite_catches_a_unit_error(con, tmp_path):
    """The reader takes any number; a stock written in euros instead of EUR million fails the suite."""
    world, share = partner_lines("WORLD")
    in_euros = real_cell(world, "_2021") + "E6"
    path = bad_partner_file(tmp_path, "generated_bad_euros.csv", [with_cell(world, "_2021", in_euros), share])
    frame = con.sql(read_finance_file(con, path).select).df()
    frame["_source_file"], frame["_source_sha256"], frame["_loaded_at"] = path.name, "0" * 64, datetime.now()
    suite = SOURCE.suites["fdi_by_partner"]
    outcome = run_suite("raw_fdi_by_partner_suite", frame, suite.expectations(datetime.now()), list(suite.row_locator))
    assert {(f.expectation, f.column) for f in outcome.failed} == {
        ("expect_column_values_to_be_between", "value_eur_million")
    }


# --- real files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, table",
    [
        ("wiiw_partners.csv", "fdi_by_partner"),
        ("wiiw-fdi-database.csv", "fdi_by_activity"),
        ("industrial.csv", "fdi_by_activity"),
    ],
)
def test_real_shared_exports(con, name, table):
    """The shared exports read as they are; industrial.csv (a third party's copy, with outward FDI
    and quoting only where needed) lands too, its four directions kept."""
    path = shared_file("finance", name)
    got, frame = read(con, path)
    assert got == table
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    years = [c for c in rows[0] if c.startswith("_")]
    assert len(frame) == sum(r["Unit"] == EUR_MILLION for r in rows) * len(years)
    directions = {r["Direction"] for r in rows}
    assert set(frame["direction"]) == {d.replace("FDI ", "").replace(" ", "_") for d in directions}


def test_snapshot_is_the_shared_export_as_published():
    """raw/finance holds wiiw's exports cell for cell (raw/derive_finance_snapshot.py)."""
    for shared, snapshot in (("wiiw_partners.csv", PARTNER_FILE), ("wiiw-fdi-database.csv", ACTIVITY_FILE)):
        with open(shared_file("finance", shared), newline="", encoding="utf-8") as handle:
            expected = list(csv.reader(handle))
        with gzip.open(SNAPSHOT / snapshot, "rt", encoding="utf-8", newline="") as handle:
            assert list(csv.reader(io.StringIO(handle.read()))) == expected


# --- one package and one registry line ------------------------------------------------------------


def test_finance_is_in_the_registry_and_the_sensor_sees_it():
    from pipelines.automation import raw_folder_state

    assert "finance" in raw_folders()
    state = raw_folder_state(REPO / "raw")
    assert {f"finance/{PARTNER_FILE}", f"finance/{ACTIVITY_FILE}"} <= set(state)
    assert set(SOURCE.suites) == {t.name for t in SOURCE.tables}
