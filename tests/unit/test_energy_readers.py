"""Each energy format, in its publisher's exact shape, lands as the one energy row shape."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from conftest import write
from fixtures_energy import (
    SDMX_OIL_HEADER,
    SDMX_OIL_LABELLED_ROW,
    SDMX_OIL_ROWS,
    TSV_COIFPM_KEBCO_2022,
    TSV_GAS,
    TSV_OIL_HEADER,
    coifpm_sdmx,
    coifpm_shared,
    facts,
    register,
    sdmx_oil,
    tsv_coifpm,
    tsv_oil,
)
from pipelines.core.files import first_line, header_columns
from pipelines.domains.energy import codes as energy_codes
from pipelines.domains.energy.codes import REFERENCE_DIR
from pipelines.domains.energy.readers import energy_format, read_energy_file
from pipelines.domains.energy.schema import ENERGY_ROW_COLUMNS


def rows(con, path):
    frame = con.sql(read_energy_file(con, path).select).df()
    assert list(frame.columns) == list(ENERGY_ROW_COLUMNS)
    return frame


def one(frame, **where):
    """The single row matching every column = value."""
    match = frame
    for column, value in where.items():
        match = match[match[column] == value]
    assert len(match) == 1, where
    return match.iloc[0]


def is_null(value) -> bool:
    return value is None or value != value  # None or NaN: never a zero in its place


@pytest.mark.parametrize(
    "text, fmt",
    [
        (tsv_oil(), "eurostat_tsv"),
        (tsv_coifpm(), "eurostat_tsv"),
        (sdmx_oil(), "eurostat_sdmx"),
        (coifpm_shared(), "eurostat_sdmx"),
        (coifpm_sdmx(), "eurostat_sdmx"),
        (register(), "dg_ener_register"),
        (facts(), "reference_facts"),
    ],
    ids=["tsv oil", "tsv coifpm", "sdmx oil", "coifpm shared shape", "coifpm sdmx", "dg ener", "facts"],
)
def test_format_recognised_by_header_and_every_row_has_format_and_line(con, tmp_path, text, fmt):
    path = write(tmp_path / "download", text)
    assert energy_format(first_line(path), header_columns(path)) == fmt
    frame = rows(con, path)
    assert set(frame.source_format) == {fmt}
    assert frame.source_line.notna().all() and frame.source_line.min() == 2
    assert frame.period_start.notna().all() and frame.reporter_code.notna().all()


def test_tsv_unpivots_periods_and_infers_oil_from_siec(con, tmp_path):
    frame = rows(con, write(tmp_path / "estat_nrg_ti_oil.tsv", tsv_oil()))
    assert len(frame) == 5 * 4
    assert set(frame.dataset) == {"nrg_ti_oil"}
    austria = one(frame, reporter_code="AT", period_code="2022")
    assert (austria.partner_code, austria.product_code, austria.indicator_code) == ("KZ", "O4100_TOT", "THS_T")
    assert austria.obs_value == 2142.702 and is_null(austria.obs_flag)
    assert (austria.period_start.date(), austria.period_freq, austria.source_line) == (dt.date(2022, 1, 1), "A", 2)
    iceland = one(frame, reporter_code="IS", period_code="2022")
    assert is_null(iceland.obs_value) and iceland.obs_flag == ":"
    assert one(frame, reporter_code="IS", period_code="2021").obs_value == 0  # a published zero stays a zero


def test_tsv_gas_dataset_from_siec_family(con, tmp_path):
    frame = rows(con, write(tmp_path / "gas.tsv", TSV_GAS))
    assert set(frame.dataset) == {"nrg_ti_gas"}
    assert one(frame, period_code="2013").obs_value == 6660


def test_tsv_flags_after_the_value(con, tmp_path):
    frame = rows(con, write(tmp_path / "coifpm.tsv", tsv_coifpm()))
    assert set(frame.dataset) == {"nrg_ti_coifpm"} and frame.partner_code.isna().all()
    revised = one(frame, reporter_code="AT", period_code="2019-12")
    assert (revised.obs_value, revised.obs_flag, revised.period_freq) == (65.36, "b", "M")
    assert one(frame, reporter_code="AT", period_code="2019-11").obs_value == 62.37
    for period, flag in (("2019-11", "c"), ("2019-12", "bc")):
        hidden = one(frame, reporter_code="BG", period_code=period)
        assert is_null(hidden.obs_value) and hidden.obs_flag == flag
    grade = rows(con, write(tmp_path / "kebco.tsv", TSV_COIFPM_KEBCO_2022))
    assert set(grade.product_code) == {"KZ_KEBCO_BLN"} and set(grade.obs_flag) == {"c"}


def test_tsv_generated_flags_p_and_z_and_data_browser_header(con, tmp_path):
    """Generated flags: 'p' and 'z' are added for the test (the shared extracts carry only b, c, bc);
    the values are the real AT series. The data browser writes GEO/TIME_PERIOD in capitals."""
    header = TSV_OIL_HEADER.replace("freq,siec,partner,unit,geo\\TIME_PERIOD", "FREQ,SIEC,PARTNER,UNIT,GEO/TIME_PERIOD")
    text = tsv_oil(["A,O4100_TOT,KZ,THS_T,AT\t3156.079 \t2892.756 p\t: z\t2142.702 "], header=header)
    frame = rows(con, write(tmp_path / "browser.tsv", text)).set_index("period_code")
    assert (frame.loc["2020", "obs_value"], frame.loc["2020", "obs_flag"]) == (2892.756, "p")
    assert is_null(frame.loc["2021", "obs_value"]) and frame.loc["2021", "obs_flag"] == "z"


@pytest.mark.parametrize("compress, newline", [(True, "\n"), (False, "\r\n")], ids=["gzip", "CRLF"])
def test_tsv_gzip_and_crlf(con, tmp_path, compress, newline):
    path = write(tmp_path / "estat_nrg_ti_oil", tsv_oil().replace("\n", newline), compress=compress)
    frame = rows(con, path)
    assert len(frame) == 20 and one(frame, reporter_code="BE", period_code="2021").obs_value == 3900.1


def test_sdmx_dataset_from_dataflow_and_not_available_cell(con, tmp_path):
    frame = rows(con, write(tmp_path / "nrg_ti_oil.csv", sdmx_oil()))
    assert set(frame.dataset) == {"nrg_ti_oil"} and set(frame.vintage) == {"28/02/24 11:00:00"}
    assert one(frame, reporter_code="AT", period_code="2022").obs_value == 2142.702
    iceland = one(frame, reporter_code="IS")
    assert is_null(iceland.obs_value) and iceland.obs_flag == ":"


def test_sdmx_code_and_label_cells(con, tmp_path):
    frame = rows(con, write(tmp_path / "labels_both.csv", sdmx_oil([SDMX_OIL_LABELLED_ROW])))
    row = frame.iloc[0]
    assert (row.reporter_code, row.partner_code, row.product_code, row.indicator_code) == (
        "AT",
        "KZ",
        "O4100_TOT",
        "THS_T",
    )
    assert row.obs_value == 2142.702


def test_sdmx_gzip_recognised_by_content(con, tmp_path):
    path = write(tmp_path / "data.bin", coifpm_sdmx(), compress=True)
    assert len(rows(con, path)) == 10


def test_coifpm_shared_shape_infers_dataset_and_keeps_confidential_cells_null(con, tmp_path):
    frame = rows(con, write(tmp_path / "coifpm.csv", coifpm_shared()))
    assert set(frame.dataset) == {"nrg_ti_coifpm"} and frame.partner_code.isna().all()
    cpc = one(frame, product_code="KZ_CPC_BLN", indicator_code="VOL_THS_BBL", reporter_code="EU_V")
    assert (cpc.obs_value, cpc.period_code, cpc.period_start.date()) == (26403.048, "2022-01", dt.date(2022, 1, 1))
    kebco = one(frame, product_code="KZ_KEBCO_BLN")
    assert is_null(kebco.obs_value) and kebco.obs_flag == "c"
    assert one(frame, product_code="TOTAL", reporter_code="BG").obs_flag == "bc"
    assert set(frame.vintage) == {"28/02/24 11:00:00"}


def test_coifpm_eurostat_shape_reads_like_the_shared_shape(con, tmp_path):
    shared = rows(con, write(tmp_path / "a.csv", coifpm_shared()))
    eurostat = rows(con, write(tmp_path / "b.csv", coifpm_sdmx()))
    assert eurostat.equals(shared)


def test_sdmx_conf_status_marks_confidential(con, tmp_path):
    """Recent SDMX-CSV files carry confidentiality in CONF_STATUS (real confidential cell: line 6758)."""
    text = (
        "DATAFLOW,LAST UPDATE,freq,crudeoil,indic_nrg,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
        "ESTAT:NRG_TI_COIFPM(1.0),28/02/24 11:00:00,M,KZ_KEBCO_BLN,VOL_THS_BBL,EU_V,2022-01,,,C\n"
        "ESTAT:NRG_TI_COIFPM(1.0),28/02/24 11:00:00,M,KZ_CPC_BLN,VOL_THS_BBL,EU_V,2022-01,26403.048,,F\n"
    )
    frame = rows(con, write(tmp_path / "conf.csv", text))
    assert one(frame, product_code="KZ_KEBCO_BLN").obs_flag == "c"
    assert is_null(one(frame, product_code="KZ_CPC_BLN").obs_flag)


def test_dg_ener_register_unpivots_measures_and_maps_names(con, tmp_path):
    frame = rows(con, write(tmp_path / "register.csv", register()))
    assert len(frame) == 9 * 4 and set(frame.dataset) == {"dg_ener_coir"}
    assert set(frame.indicator_code) == {"VOL_THS_BBL", "VAL_THS_USD", "AVGPRC_USD_BBL", "PC_TOTAL_IMPORTS"}
    austria = frame[(frame.reporter_code == "AT") & (frame.partner_code == "KZ")].set_index("indicator_code")
    assert austria.loc["VOL_THS_BBL", "obs_value"] == 1215.8700000000001
    assert austria.loc["VAL_THS_USD", "obs_value"] == 135759.28
    assert austria.loc["AVGPRC_USD_BBL", "obs_value"] == 111.65608165346623
    assert austria.loc["PC_TOTAL_IMPORTS", "obs_value"] == 0.003676607484112561
    assert set(austria.period_code) == {"2013-01"} and set(austria.product_code) == {"Kazakhstan Crude"}
    assert set(austria.source_line) == {3}
    assert one(frame, reporter_code="EL", indicator_code="VOL_THS_BBL").obs_value == 1403.0
    assert one(frame, reporter_code="UK", indicator_code="VOL_THS_BBL").partner_code == "DZ"
    forties = one(frame, product_code="Forties", indicator_code="VOL_THS_BBL")
    assert (forties.partner_code, forties.partner_label) == ("UK", "United Kingdom")
    assert one(frame, partner_label="Congo (DR)", indicator_code="VOL_THS_BBL").partner_code == "CD"
    assert one(frame, partner_label="Other FSU countries", indicator_code="VOL_THS_BBL").partner_code == "EX_SU_OTH"


def test_dg_ener_unpublished_value_is_null_with_flag(con, tmp_path):
    frame = rows(con, write(tmp_path / "register.csv", register()))
    bulgaria = frame[frame.reporter_code == "BG"].set_index("indicator_code")
    assert bulgaria.loc["VOL_THS_BBL", "obs_value"] == 603.969
    for measure in ("VAL_THS_USD", "AVGPRC_USD_BBL"):
        assert is_null(bulgaria.loc[measure, "obs_value"]) and bulgaria.loc[measure, "obs_flag"] == ":"


def test_reference_facts(con, tmp_path):
    frame = rows(con, write(tmp_path / "facts.csv", facts()))
    kz = one(frame, partner_code="KZ")
    assert (kz.dataset, kz.reporter_code, kz.product_code, kz.indicator_code) == (
        "esa_annual_report",
        "EU27_2020",
        "uranium_natural",
        "SHARE_PC",
    )
    assert (kz.obs_value, kz.period_freq, kz.source_line) == (26.82, "A", 2)
    assert kz.source_url.startswith("https://www.nucnet.org/")
    assert frame.source_url.notna().all()


def test_dg_ener_origin_reference_has_a_code_and_reason_for_every_label():
    with open(REFERENCE_DIR / "dg_ener_origins.csv", encoding="utf-8") as handle:
        listed = list(csv.DictReader(handle))
    assert all(row["code"] and len(row["note"]) > 20 for row in listed)
    assert energy_codes.dg_ener_origin_code("Congo (DR)") == "CD"  # the libraries say CG
    assert energy_codes.dg_ener_origin_code("Abu Dhabi") == "AE"
    assert energy_codes.dg_ener_origin_code("Kazakhstan") == "KZ"
    assert energy_codes.dg_ener_origin_code("Narnia") is None
    assert energy_codes.eurostat_code_for_name("Greece") == "EL"
    assert energy_codes.eurostat_code_for_name("Czech Republic") == "CZ"


def test_sdmx_without_dataflow_takes_the_dataset_from_the_siec_family(con, tmp_path):
    text = sdmx_oil([row.split(",", 1)[1] for row in SDMX_OIL_ROWS], header=SDMX_OIL_HEADER.split(",", 1)[1])
    frame = rows(con, write(tmp_path / "no_dataflow.csv", text))
    assert set(frame.dataset) == {"nrg_ti_oil"} and len(frame) == 4
