"""Kazakhstan's BNS foreign-trade workbooks and IMF DOTS workbooks: read by content, refused by file, row and
column. Small workbooks are cut from the real snapshot (tests/fixtures_kz_stats.py); the real .xls and
.xlsx files of ../shared/data are read whole where present."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import shutil

import pytest

from conftest import REPO, shared_file
from fixtures_kz_stats import (
    BNS_2022,
    BNS_2023,
    DOTS_GERMANY,
    SNAPSHOT,
    bns_sheets,
    dots_sheets,
    grid,
    header_row,
    workbook,
)
from pipelines.core.errors import RawFileError
from pipelines.core.excel import normalised
from pipelines.core.files import compression_of, excel_kind
from pipelines.core.landing import land_folder
from pipelines.core.seeds import read_seed
from pipelines.domains.trade import DOMAIN
from pipelines.domains.trade.readers import read_trade_file
from pipelines.domains.trade.schema import IMF_DOTS_FLOWS_COLUMNS, KZ_PARTNER_TRADE_COLUMNS
from pipelines.settings import DEFAULT_TRADE_PARTNERS


def read(con, path):
    result = read_trade_file(con, path, DEFAULT_TRADE_PARTNERS)
    frame = con.sql(result.select).df()
    columns = KZ_PARTNER_TRADE_COLUMNS if result.table == "kz_partner_trade" else IMF_DOTS_FLOWS_COLUMNS
    assert list(frame.columns) == list(columns)
    return result, frame


def refused(con, path) -> RawFileError:
    with pytest.raises(RawFileError) as caught:
        read(con, path)
    assert caught.value.file == str(path)
    return caught.value


def one(frame, **where):
    match = frame
    for column, value in where.items():
        match = match[match[column] == value]
    assert len(match) == 1, where
    return match.iloc[0]


def cell_of(sheets, sheet, row, column):
    """A cell of a fixture grid by its Excel row (1-based) and 0-based column."""
    return dict(sheets)[sheet][row - 1][column]


# --- BNS -----------------------------------------------------------------------------------------------


def test_bns_rows_land_with_codes_kinds_year_vintage_and_excel_rows(con, tmp_path):
    sheets = bns_sheets(sheet_names=("2022", "2023"))
    result, frame = read(con, workbook(tmp_path / "generated_bns.xlsx", sheets))
    assert result.table == "kz_partner_trade" and result.rows_read == 14
    assert set(frame.year) == {2022, 2023} and set(frame.vintage_year) == {2023}
    russia = one(frame, year=2023, partner_code="RU")
    row = dict(sheets)["2023"][russia.source_line - 1]
    assert (russia.partner_label_ru, russia.partner_kind, russia.sheet) == ("Россия", "country", "2023")
    figures = (russia.turnover_thousand_usd, russia.exports_thousand_usd, russia.imports_thousand_usd)
    assert figures == (row[1], row[3], row[5])
    assert russia.exports_share_pct == row[4]
    assert one(frame, year=2023, partner_code="WORLD").partner_kind == "total"
    assert {one(frame, year=2023, partner_code=c).partner_kind for c in ("CIS", "EAEU")} == {"group"}


def test_bns_publication_date_read_from_the_cover_sheet(con, tmp_path):
    cover = next(s for s in grid(BNS_2023) if s[0] == "Обложка")
    _, frame = read(con, workbook(tmp_path / "generated_bns.xlsx", [cover, *bns_sheets()]))
    assert {d.date() for d in frame.published_on} == {dt.date(2024, 7, 25)}  # 'Дата опубликования: 25.07.2024'
    _, without = read(con, workbook(tmp_path / "generated_bns_no_cover.xlsx", bns_sheets()))
    assert without.published_on.isna().all()


def test_bns_header_is_found_by_reading_wherever_it_sits(con, tmp_path):
    name, rows = bns_sheets()[0]
    lower = [[""] * 7, *rows]  # one more title line: every row one lower
    right = [["", *row] for row in rows]  # a margin column: the labels in column B
    _, base = read(con, workbook(tmp_path / "generated_bns.xlsx", [(name, rows)]))
    _, moved_down = read(con, workbook(tmp_path / "generated_bns_down.xlsx", [(name, lower)]))
    _, moved_right = read(con, workbook(tmp_path / "generated_bns_right.xlsx", [(name, right)]))
    assert list(moved_down.source_line) == [line + 1 for line in base.source_line]
    figures = ["partner_code", "turnover_thousand_usd", "exports_thousand_usd", "imports_thousand_usd"]
    assert moved_down[figures].equals(base[figures]) and moved_right[figures].equals(base[figures])


def test_bns_empty_cell_is_no_figure_not_zero(con, tmp_path):
    name, rows = bns_sheets()[0]
    armenia = header_row(rows, "Армения")
    rows[armenia][3] = rows[armenia][4] = ""
    _, frame = read(con, workbook(tmp_path / "generated_bns_empty_cell.xlsx", [(name, rows)]))
    row = one(frame, partner_code="AM")
    assert row.exports_thousand_usd != row.exports_thousand_usd  # NaN: NULL in DuckDB, never 0


def test_bns_header_moved_is_refused_with_row_and_column(con, tmp_path):
    name, rows = bns_sheets()[0]
    header = header_row(rows, "Товарооборот")
    rows[header][3], rows[header][5] = rows[header][5], rows[header][3]  # exports and imports swapped
    error = refused(con, workbook(tmp_path / "generated_bad_header_moved.xlsx", [(name, rows)]))
    assert (error.row, error.column) == (header + 1, "D")
    assert "header moved" in error.reason and "'экспорт'" in error.reason and "2023" in error.reason


def test_bns_figures_without_any_header_are_refused(con, tmp_path):
    name, rows = bns_sheets()[0]
    header = header_row(rows, "Товарооборот")
    rows[header][1] = "Оборот"
    error = refused(con, workbook(tmp_path / "generated_bad_header_renamed.xlsx", [(name, rows)]))
    assert (error.row, error.column) == (header + 3, "B") and "without the table header" in error.reason


def test_bns_missing_or_wrong_unit_is_refused(con, tmp_path):
    name, rows = bns_sheets()[0]
    unit_row = header_row(rows, "тыс. долларов США")
    rows[unit_row][4] = ""
    error = refused(con, workbook(tmp_path / "generated_bad_missing_unit.xlsx", [(name, rows)]))
    assert (error.row, error.column) == (unit_row + 1, "E") and "missing unit" in error.reason
    rows[unit_row][4] = "млн. долларов США"
    error = refused(con, workbook(tmp_path / "generated_bad_wrong_unit.xlsx", [(name, rows)]))
    assert (error.row, error.column) == (unit_row + 1, "E") and "'млн. долларов США'" in error.reason


def test_bns_unknown_label_is_refused_by_name(con, tmp_path):
    name, rows = bns_sheets()[0]
    armenia = header_row(rows, "Армения")
    rows[armenia][0] = "Армения и Арцах"
    error = refused(con, workbook(tmp_path / "generated_bad_unknown_label.xlsx", [(name, rows)]))
    assert (error.row, error.column) == (armenia + 1, "A")
    assert "unknown partner label" in error.reason and "'Армения и Арцах'" in error.reason


def test_bns_partner_listed_twice_is_refused_even_under_two_spellings(con, tmp_path):
    name, rows = bns_sheets()[0]
    russia = header_row(rows, "Россия")
    rows.append(list(rows[russia]))
    error = refused(con, workbook(tmp_path / "generated_bad_partner_twice.xlsx", [(name, rows)]))
    assert (error.row, error.column) == (len(rows), "A") and "RU listed twice" in error.reason
    rows[-1][0] = "Виргинские Острова (США)"
    rows.append(["Виргинские Острова, США", *rows[russia][1:]])
    error = refused(con, workbook(tmp_path / "generated_bad_two_spellings.xlsx", [(name, rows)]))
    assert error.row == len(rows) and "VI listed twice" in error.reason


def test_bns_value_that_is_not_a_number_is_refused(con, tmp_path):
    name, rows = bns_sheets()[0]
    belarus = header_row(rows, "Беларусь")
    rows[belarus][5] = "764 824,4"  # a thousands space and a decimal comma: text, not a number
    error = refused(con, workbook(tmp_path / "generated_bad_not_a_number.xlsx", [(name, rows)]))
    assert (error.row, error.column) == (belarus + 1, "F") and "not a number: '764 824,4'" in error.reason


def test_bns_partial_year_is_refused(con, tmp_path):
    name, rows = bns_sheets(BNS_2022, ("2022",))[0]
    title = header_row(rows, "за 2022 год")
    rows[title][0] = "за январь-июнь 2022 года"
    error = refused(con, workbook(tmp_path / "generated_bad_half_year.xlsx", [(name, rows)]))
    assert error.row == title + 1 and "not a whole year" in error.reason


def test_bns_seed_maps_every_label_once_by_its_normalised_spelling():
    labels = [normalised(row["label_ru"]) for row in read_seed("bns_partner_labels")]
    assert len(labels) == len(set(labels))
    kinds = {row["code"]: row["kind"] for row in read_seed("bns_partner_labels")}
    assert kinds["WORLD"] == "total" and kinds["EU_BNS"] == "group" and kinds["GB"] == "country"


# --- IMF DOTS ------------------------------------------------------------------------------------------


def test_dots_rows_land_per_published_cell_with_estimate_flags(con, tmp_path):
    sheets = dots_sheets()
    result, frame = read(con, workbook(tmp_path / "generated_dots.xlsx", sheets))
    assert result.table == "imf_dots_flows" and set(frame.reporter_code) == {"KZ"}
    italy = one(frame, partner_code="IT", flow="export", year=2019)
    assert (italy.value_usd_million, italy.valuation, italy.source_column) == (
        cell_of(sheets, "Exports, FOB", italy.source_line, 29),
        "FOB",
        "AD",
    )
    estimate = one(frame, partner_code="IT", flow="import", year=1992)
    assert cell_of(sheets, "Imports, CIF", estimate.source_line, 2) == f"{estimate.value_usd_million} e"
    assert estimate.obs_flag == "e" and italy.obs_flag is None
    assert one(frame, partner_code="BE_LU", flow="export", year=1993).partner_kind == "group"
    assert one(frame, partner_code="WORLD", flow="import", year=2020).partner_kind == "total"
    assert frame[(frame.partner_code == "RU") & (frame.year == 1992)].empty  # an empty cell is no row


def test_dots_repeated_identical_partner_row_is_kept_once(con, tmp_path):
    sheets = dots_sheets()
    result, frame = read(con, workbook(tmp_path / "generated_dots.xlsx", sheets))
    australia = frame[(frame.partner_code == "AU") & (frame.flow == "export")]
    assert australia.year.is_unique and australia.source_line.nunique() == 1
    assert result.rows_read - len(frame) == (frame.partner_code == "AU").sum()  # the repeats read, not kept


def test_dots_partner_twice_with_different_figures_is_refused(con, tmp_path):
    sheets = dots_sheets()
    rows = dict(sheets)["Exports, FOB"]
    repeat = max(r for r, row in enumerate(rows) if row[1] == "Australia")
    rows[repeat][-1] = 99.0
    error = refused(con, workbook(tmp_path / "generated_bad_partner_twice.xlsx", sheets))
    assert (error.row, error.column) == (repeat + 1, "B") and "AU listed twice with different figures" in error.reason


def test_dots_header_of_years_is_read_not_assumed(con, tmp_path):
    _, kazakhstan = read(con, workbook(tmp_path / "generated_dots_1992.xlsx", dots_sheets()))
    germany_sheets = dots_sheets(DOTS_GERMANY, ("World", "Kazakhstan, Rep. of"))
    _, germany = read(con, workbook(tmp_path / "generated_dots_1960.xlsx", germany_sheets))
    assert min(kazakhstan.year) == 1992
    assert one(kazakhstan, partner_code="WORLD", flow="export", year=1992).source_column == "C"
    world_1960 = one(germany, partner_code="WORLD", flow="export", year=1960)
    assert world_1960.source_column == "C"
    assert one(germany, partner_code="KZ", flow="import", year=2020).source_column == "BK"
    moved = [(name, [[""] * len(rows[0]), *rows]) for name, rows in germany_sheets]  # one more line above
    _, lower = read(con, workbook(tmp_path / "generated_dots_lower.xlsx", moved))
    assert list(lower.source_line) == [line + 1 for line in germany.source_line]
    assert list(lower.value_usd_million) == list(germany.value_usd_million)


def test_dots_thousands_separated_estimate_is_read(con, tmp_path):
    sheets = dots_sheets()
    rows = dict(sheets)["Exports, FOB"]
    world = next(r for r, row in enumerate(rows) if row[1] == "World")
    rows[world][2] = "1,234.56 e"  # the IMF's text form of a large estimate (as in DOTS_12, DOTS_72)
    _, frame = read(con, workbook(tmp_path / "generated_dots_grouped.xlsx", sheets))
    row = one(frame, partner_code="WORLD", flow="export", year=1992)
    assert (row.value_usd_million, row.obs_flag) == (1234.56, "e")


@pytest.mark.parametrize("text", ["n.a.", "1.2 E", "1,23 e", "e"])
def test_dots_value_that_is_not_a_number_is_refused(con, tmp_path, text):
    sheets = dots_sheets()
    rows = dict(sheets)["Imports, CIF"]
    italy = next(r for r, row in enumerate(rows) if row[1] == "Italy")
    rows[italy][4] = text
    error = refused(con, workbook(tmp_path / "generated_bad_not_a_number.xlsx", sheets))
    assert (error.row, error.column) == (italy + 1, "E")
    assert error.reason.endswith(f"not a number (nor an IMF estimate such as '0.14 e'): {text!r}")


def test_dots_unknown_partner_and_reporter_names_are_refused(con, tmp_path):
    sheets = dots_sheets()
    rows = dict(sheets)["Exports, FOB"]
    italy = next(r for r, row in enumerate(rows) if row[1] == "Italy")
    rows[italy][1] = "Italia"
    error = refused(con, workbook(tmp_path / "generated_bad_unknown_partner.xlsx", sheets))
    assert (error.row, error.column) == (italy + 1, "B")
    assert "unknown IMF partner name" in error.reason and error.reason.endswith("'Italia'")
    sheets = dots_sheets()
    for _, rows in sheets:
        rows[3][1] = "Kazakstan"
    error = refused(con, workbook(tmp_path / "generated_bad_unknown_reporter.xlsx", sheets))
    assert (error.row, error.column) == (4, "B") and "unknown IMF reporter name 'Kazakstan'" in error.reason


def test_dots_missing_unit_is_refused(con, tmp_path):
    sheets = dots_sheets()
    dict(sheets)["Imports, CIF"][4][1] = ""
    error = refused(con, workbook(tmp_path / "generated_bad_missing_unit.xlsx", sheets))
    assert (error.row, error.column) == (5, "B") and "missing unit" in error.reason and "Imports, CIF" in error.reason


def test_dots_seed_gives_one_code_per_name():
    rows = read_seed("imf_dots_partner_names")
    assert len({r["code"] for r in rows}) == len(rows) == len({normalised(r["imf_name"]) for r in rows})


# --- recognising workbooks -----------------------------------------------------------------------------


def test_workbooks_recognised_by_bytes_not_name(con, tmp_path):
    path = workbook(tmp_path / "no_extension", bns_sheets())
    assert excel_kind(path) == "xlsx" and read(con, path)[0].table == "kz_partner_trade"
    assert excel_kind(SNAPSHOT / "easy_comext_eu27_exports_all_partners_annual_2010-2023.csv.gz") is None


def test_a_workbook_of_another_shape_is_refused(con, tmp_path):
    sheets = [("Sheet1", [["REPORTER", "PARTNER"], ["AT", "KZ"]])]
    path = workbook(tmp_path / "generated_bad_other_workbook.xlsx", sheets)
    error = refused(con, path)
    assert error.row == 1 and "not recognised" in error.reason and "Sheet1" in error.reason


def test_a_workbook_in_a_text_folder_says_where_it_belongs(tmp_path):
    path = workbook(tmp_path / "generated_dots.xlsx", dots_sheets())
    with pytest.raises(RawFileError, match="belong in raw/trade/"):
        compression_of(path)


def test_the_trade_folder_routes_each_shape_to_its_raw_table(con, tmp_path):
    folder = tmp_path / "raw" / "trade"
    folder.mkdir(parents=True)
    for name in (
        BNS_2023.name,
        "imf_dots_103_kazakhstan_by_partner_1992-2020.xlsx",
        "easy_comext_exports_to_KZ_by_reporter_monthly_2019-2024.csv.gz",
    ):
        shutil.copy2(SNAPSHOT / name, folder / name)
    source = DOMAIN.sources[0]
    reader = lambda con, path: read_trade_file(con, path, DEFAULT_TRADE_PARTNERS)  # noqa: E731
    loads = land_folder(con, tmp_path / "raw", "trade", source.table, reader, source.other_tables)
    assert {load.file.split("/")[1][:13]: load.raw_table for load in loads} == {
        "kazakhstan_bn": "raw.kz_partner_trade",
        "imf_dots_103_": "raw.imf_dots_flows",
        "easy_comext_e": "raw.trade_flows",
    }
    assert con.sql("SELECT count(DISTINCT year) FROM raw.kz_partner_trade").fetchall() == [(2,)]


# --- the real files of ../shared/data ------------------------------------------------------------------


@pytest.mark.parametrize("year", range(2019, 2024))
def test_real_bns_xls_reads_as_its_flattened_copy(con, year):
    """Every row of the real .xls against the shared long CSV (the same tables flattened, values unchanged)."""
    path = shared_file("trade", f"kazakhstan_bns_foreign_trade_by_country_{year}.xls")
    long_csv = shared_file("trade", "kazakhstan_bns_trade_by_partner_2018-2023_long.csv")
    assert excel_kind(path) == "xls"
    _, frame = read(con, path)
    with open(long_csv, newline="", encoding="utf-8") as handle:
        expected = [r for r in csv.DictReader(handle) if r["source_file"].endswith(f"_{year}.xls")]
    assert len(frame) == len(expected)
    got = {(str(r.year), normalised(r.partner_label_ru)): r for r in frame.itertuples()}
    for row in expected:
        landed = got[(row["year"], normalised(row["row_label_ru"]))]
        for column, name in (
            ("export_thous_usd", "exports_thousand_usd"),
            ("import_thous_usd", "imports_thousand_usd"),
            ("turnover_thous_usd", "turnover_thousand_usd"),
        ):
            value = getattr(landed, name)
            assert (value != value) if row[column] == "" else value == pytest.approx(float(row[column]), abs=1e-6)
    assert set(frame.vintage_year) == {year} and set(frame.year) == {year - 1, year}


def test_real_bns_2023_totals_match_the_documented_figures(con):
    _, frame = read(con, shared_file("trade", "kazakhstan_bns_foreign_trade_by_country_2023.xls"))
    latest = frame[frame.year == 2023]
    figures = {
        code: (
            round(one(latest, partner_code=code).exports_thousand_usd),
            round(one(latest, partner_code=code).imports_thousand_usd),
        )
        for code in ("WORLD", "EU_BNS", "CN", "RU")
    }
    # data README: 2023 exports / imports, thousand USD
    assert figures == {
        "WORLD": (79_138_755, 60_412_283),
        "EU_BNS": (30_988_817, 10_314_009),
        "CN": (14_666_158, 15_389_231),
        "RU": (10_207_416, 16_847_034),
    }


def figures(con, path, where: str) -> dict:
    """(reporter_code, partner_code, flow, year) -> (value_usd_million, obs_flag) of a workbook's matching cells."""
    select = read_trade_file(con, path, DEFAULT_TRADE_PARTNERS).select
    rows = con.sql(
        f"SELECT reporter_code, partner_code, flow, year, value_usd_million, obs_flag FROM ({select}) WHERE {where}"
    ).fetchall()
    return {tuple(r[:4]): tuple(r[4:]) for r in rows}


def test_real_dots_workbooks_all_read_and_match_the_flattened_exports(con):
    folder = shared_file("trade", "imf_dots")
    exports = figures(con, folder / "DOTS_103.xlsx", "flow = 'export'")
    with open(folder / "derived_kazakhstan_exports_by_partner_1992-2020.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    years = [int(y) for y in rows[0][1:]]
    names = {normalised(r["imf_name"]): r["code"] for r in read_seed("imf_dots_partner_names")}
    expected = {
        ("KZ", names[normalised(row[0])], "export", year): cell
        for row in rows[1:]
        for year, cell in zip(years, row[1:], strict=True)
        if cell
    }
    assert exports.keys() == expected.keys()  # the flattened copy repeats the portal's repeated row: a dict
    for key, cell in expected.items():
        assert exports[key] == (
            pytest.approx(float(cell.removesuffix(" e")), abs=1e-9),
            "e" if cell.endswith(" e") else None,
        ), key
    members = sorted(p for p in folder.glob("DOTS_*.xlsx") if p.name != "DOTS_103.xlsx")
    to_kazakhstan = {p.name: figures(con, p, "partner_code = 'KZ' AND flow = 'export'") for p in members}
    assert len(to_kazakhstan) == 29
    derived_csv = folder / "derived_exports_to_kazakhstan_all_reporters_1992-2020.csv"
    with open(derived_csv, newline="", encoding="utf-8") as handle:
        derived = [r for r in csv.DictReader(handle) if r["file"] in to_kazakhstan]
    assert sum(map(len, to_kazakhstan.values())) == len(derived)
    for row in derived:
        ((value, _),) = [v for (_, _, _, year), v in to_kazakhstan[row["file"]].items() if year == int(row["year"])]
        assert value == pytest.approx(float(row["exports_fob_usd_mn"].removesuffix(" e")), abs=1e-9)
    assert round(exports[("KZ", "IT", "export", 2019)][0], 1) == 8373.7  # data README: exports to Italy 2019, DOTS
    assert round(exports[("KZ", "EU_IMF", "export", 2019)][0], 1) == 24235.9  # data README: to the EU 2019


def test_snapshot_workbooks_hold_the_real_cells(con):
    """raw/trade's .xlsx files are the shared workbooks' cells (the derive script's own check, rerun here)."""
    shared = shared_file("trade", "imf_dots").parent.parent
    spec = importlib.util.spec_from_file_location("derive", REPO / "raw" / "derive_kz_stats_snapshot.py")
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    plan = derive.outputs(shared)
    assert set(plan) == {p.name for p in SNAPSHOT.glob("*.xlsx")}
    for name, (_, sheets) in plan.items():
        derive.verify(name, SNAPSHOT / name, sheets)


def test_snapshot_is_not_a_byte_copy_of_a_shared_file():
    shared = shared_file("trade")
    originals = {p.read_bytes() for p in [*shared.glob("*.xls"), *shared.glob("imf_dots/*.xlsx")]}
    assert not any(p.read_bytes() in originals for p in SNAPSHOT.glob("*.xlsx"))
