"""Each trade format, in its exact shape, lands as the same trade row shape."""

import pytest

from conftest import write
from fixtures_trade import BULK_ROWS_18, bulk_17, bulk_18, legacy, relational, sdmx
from pipelines.core.errors import RawFileError
from pipelines.core.files import header_columns
from pipelines.domains.trade.readers import read_trade_file, trade_format
from pipelines.domains.trade.schema import TRADE_ROW_COLUMNS


def rows(con, path, partners=("AD", "KZ")):
    frame = con.sql(read_trade_file(con, path, partners).select).df()
    assert list(frame.columns) == list(TRADE_ROW_COLUMNS)
    return frame


@pytest.mark.parametrize("text", [bulk_18(), bulk_17()], ids=["18 columns", "17 columns"])
def test_bulk_reads_columns_by_name(con, tmp_path, text):
    frame = rows(con, write(tmp_path / "full_202402.dat", text))
    assert len(frame) == 4
    first = frame.iloc[0]
    assert (first.reporter_code, first.partner_code, first.product_code, first.flow) == (
        "AT",
        "AD",
        "35069190",
        "export",
    )
    assert (first.period_code, str(first.period_start.date()), first.period_freq) == ("202402", "2024-02-01", "M")
    assert frame.value_eur.sum() == 65 + 2700 + 89 + 1606
    assert "39XXXXXX" in set(frame.product_code)  # confidential residual kept; chapters derive in dbt


def test_bulk_filters_partners_while_reading(con, tmp_path):
    path = write(tmp_path / "full_202402.dat", bulk_18())
    assert len(con.sql(read_trade_file(con, path, ("KZ",)).select).df()) == 0


def test_bulk_legacy_layout_and_greece(con, tmp_path):
    frame = rows(con, write(tmp_path / "full202402.dat", legacy()))
    assert list(frame.reporter_code) == ["AT", "EL"]
    assert list(frame.flow) == ["export", "import"]
    assert list(frame.period_freq) == ["M", "A"]  # YYYY52 is the whole year
    assert list(frame.stat_procedure) == ["1", "1"]


def test_gzip_recognised_by_content_not_name(con, tmp_path):
    path = write(tmp_path / "download_without_extension", bulk_18(), compress=True)
    assert trade_format(header_columns(path)) == "comext_bulk"
    assert len(rows(con, path)) == 4


def test_relational_label_variants(con, tmp_path):
    frame = rows(con, write(tmp_path / "Relational_View.csv", relational()))
    by_line = frame.set_index("source_line")
    assert by_line.loc[2, ["reporter_code", "partner_code", "period_code"]].tolist() == ["EU27_2020", "KZ", "201852"]
    assert by_line.loc[3, "period_code"] == "201952"
    assert by_line.loc[4, "flow"] == "export"  # EXPORTATION
    assert by_line.loc[5, "partner_code"] == "GN" and by_line.loc[6, "partner_code"] == "GW"
    assert by_line.loc[7, ["reporter_code", "period_code", "value_eur"]].tolist() == ["BE", "201901", 26237220]
    not_available = by_line.loc[8]
    assert not_available.value_eur != not_available.value_eur  # NaN: not available is not zero
    assert not_available.obs_flag == ":" and not_available.product_code == "27"
    assert by_line.loc[9, "partner_code"] == "EXT_EU27_2020"
    assert set(frame.stat_procedure) == {"TOTAL"}


def test_sdmx_pivots_indicators_and_strips_labels(con, tmp_path):
    frame = rows(con, write(tmp_path / "ds-045409.csv", sdmx()))
    assert len(frame) == 6  # value and quantity of one observation become one row
    confidential = frame[frame.reporter_code == "MT"].iloc[0]
    assert confidential.obs_flag == "c" and confidential.value_eur != confidential.value_eur  # NULL, never 0
    cn8 = frame[frame.product_code == "38089490"].iloc[0]
    assert (cn8.value_eur, cn8.quantity_kg) == (2700, 136)
    greece = frame[frame.value_eur == 148523439].iloc[0]  # written GR in the file
    assert (greece.reporter_code, greece.product_code) == ("EL", "27")
    austria = frame[(frame.reporter_code == "AT") & (frame.partner_code == "KZ")].iloc[0]
    assert (austria.flow, austria.obs_flag, austria.value_eur) == ("export", "p", 14022802)
    annual = frame[frame.period_freq == "A"].iloc[0]
    assert (annual.reporter_code, annual.period_code) == ("EU27_2020", "202152")
    assert set(frame.vintage) == {"13/01/23 00:00:00"}


def test_unknown_header_is_refused(con, tmp_path):
    path = write(tmp_path / "notes.csv", "country,year,value\nKZ,2020,1\n")
    with pytest.raises(RawFileError, match=r"notes.csv, row 1: header not recognised"):
        read_trade_file(con, path, ("KZ",))


def test_archives_are_refused_with_advice(con, tmp_path):
    path = tmp_path / "full_v2_202402.7z"
    path.write_bytes(b"7z\xbc\xaf\x27\x1c" + b"\0" * 32)
    with pytest.raises(RawFileError, match="extract"):
        read_trade_file(con, path, ("KZ",))


@pytest.mark.parametrize(
    "text, compress",
    [
        (bulk_18(), False),
        (bulk_17(), False),
        (legacy(), False),
        (bulk_18(), True),
        (bulk_18().replace("\n", "\r\n"), False),
    ],
    ids=["18 columns", "17 columns", "legacy", "gzip", "CRLF"],
)
def test_bulk_fast_path_lands_what_the_strict_scan_lands(con, tmp_path, text, compress):
    """The line filter (partner field matched before splitting) is an optimisation only."""
    from pipelines.domains.trade.readers.comext_bulk import read_comext_bulk_sql, stage_comext_bulk_sql

    path = write(tmp_path / "full.dat", text, compress=compress)
    columns = header_columns(path)
    fast = con.sql(stage_comext_bulk_sql(con, path, columns, ("AD",))).fetchall()
    strict = con.sql(read_comext_bulk_sql(path, columns, ("AD",))).fetchall()
    assert fast == strict and len(fast) >= 2


def test_every_partner_setting_keeps_the_whole_world(con, tmp_path, monkeypatch):
    """KZEU_TRADE_PARTNERS=* lands every partner of a bulk file; the default seven keep theirs unchanged."""
    from pipelines.settings import DEFAULT_TRADE_PARTNERS, load_settings

    kz_row = "AT,KZ,E,27090090,33300,0610,0610,111,111100,06,1,1,NO_SU,202402,1234,1234,56,0"
    path = write(tmp_path / "full_202402.dat", bulk_18([*BULK_ROWS_18, kz_row]))
    monkeypatch.setenv("KZEU_TRADE_PARTNERS", "*")
    every = rows(con, path, load_settings().trade_partners)
    monkeypatch.delenv("KZEU_TRADE_PARTNERS")
    assert load_settings().trade_partners == DEFAULT_TRADE_PARTNERS
    seven = rows(con, path, load_settings().trade_partners)
    assert sorted(every.partner_code) == ["AD", "AD", "AD", "AD", "KZ"] and list(seven.partner_code) == ["KZ"]
    columns = [c for c in seven.columns if c != "source_line"]
    assert every[every.partner_code == "KZ"][columns].values.tolist() == seven[columns].values.tolist()


@pytest.mark.parametrize("value", ["*,KZ", "K-Z"])
def test_trade_partners_setting_refuses_a_mixed_or_bad_value(monkeypatch, value):
    from pipelines.settings import load_settings

    monkeypatch.setenv("KZEU_TRADE_PARTNERS", value)
    with pytest.raises(ValueError, match="KZEU_TRADE_PARTNERS"):
        load_settings()
