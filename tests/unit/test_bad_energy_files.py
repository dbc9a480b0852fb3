"""Bad energy files give one clear error naming file, row and column; nothing of the load lands."""

from __future__ import annotations

import gzip
import re

import pytest

from conftest import write
from fixtures_energy import (
    FACTS_ROWS,
    NUCNET_ESA_2022,
    REGISTER_HEADER,
    REGISTER_ROWS,
    SDMX_OIL_HEADER,
    SDMX_OIL_ROWS,
    TSV_OIL_HEADER,
    TSV_OIL_ROWS,
    coifpm_shared,
    facts,
    register,
    sdmx_oil,
    tsv_oil,
)
from fixtures_trade import RELATIONAL_HEADER, relational
from pipelines.core.errors import RawFileError
from pipelines.core.landing import land_folder
from pipelines.domains.energy.readers import read_energy_file
from pipelines.domains.energy.schema import ENERGY_IMPORTS

# The first event of GDELT 1.0's daily export 20160728 (shared gdelt1_daily_export_20160728_sample.tsv), cut short.
GDELT_LINE = (
    "564111644\t20060731\t200607\t2006\t2006.5781\tUSA\tUNITED STATES\tUSA" + "\t" * 17 + "1\t010\t010\t01\t1\t0.0"
)
GAS_ROW = "A,G3000,KZ,TJ_GCV,HR\t0 \t0 \t0 \t0 "


def land(con, raw_dir):
    return land_folder(con, raw_dir, "energy", ENERGY_IMPORTS, read_energy_file)


CASES = {
    "sdmx missing column": (
        "bad_sdmx_missing_unit.csv",
        sdmx_oil([row.replace(",THS_T,", ",") for row in SDMX_OIL_ROWS], header=SDMX_OIL_HEADER.replace(",unit", "")),
        dict(row=1, column="unit", reason="missing column"),
    ),
    "sdmx text in OBS_VALUE": (
        "bad_sdmx_text_value.csv",
        sdmx_oil([SDMX_OIL_ROWS[0], SDMX_OIL_ROWS[1].replace(",1803.1,", ",1803.1 kt,")]),
        dict(row=3, column="OBS_VALUE", reason="not a number: '1803.1 kt'"),
    ),
    "sdmx unknown geo": (
        "bad_sdmx_geo.csv",
        sdmx_oil([SDMX_OIL_ROWS[0], SDMX_OIL_ROWS[1].replace(",BE,", ",GR,")]),
        dict(row=3, column="geo", reason="unknown geo code"),
    ),
    "sdmx bad period": (
        "bad_sdmx_period.csv",
        sdmx_oil([SDMX_OIL_ROWS[0].replace(",2022,", ",2022-Q1,")]),
        dict(row=2, column="TIME_PERIOD", reason="unreadable period"),
    ),
    "sdmx label instead of siec code": (
        "bad_sdmx_siec.csv",
        sdmx_oil([SDMX_OIL_ROWS[0].replace(",O4100_TOT,", ",Crude oil,")]),
        dict(row=2, column="siec", reason="unknown siec code"),
    ),
    "sdmx dataflow does not fit the columns": (
        "bad_sdmx_dataflow.csv",
        sdmx_oil([row.replace("NRG_TI_OIL", "NRG_TI_COIFPM") for row in SDMX_OIL_ROWS]),
        dict(row=2, column="DATAFLOW", reason="does not fit the columns"),
    ),
    "sdmx duplicated key": (
        "bad_sdmx_duplicate.csv",
        sdmx_oil([SDMX_OIL_ROWS[0], SDMX_OIL_ROWS[1], SDMX_OIL_ROWS[0].replace("2142.702", "2142.7")]),
        dict(row=4, column="geo", reason="on lines 2, 4"),
    ),
    "coifpm text in OBS_VALUE": (
        "bad_coifpm_value.csv",
        coifpm_shared(["28/02/24 11:00:00,M,KZ_CPC_BLN,API_DEG,AT,2020-01,n/a,"]),
        dict(row=2, column="OBS_VALUE", reason="not a number"),
    ),
    "tsv mixed SIEC families": (
        "bad_tsv_mixed.tsv",
        tsv_oil([*TSV_OIL_ROWS[:2], GAS_ROW]),
        dict(row=4, column="freq,siec,partner,unit,geo\\TIME_PERIOD", reason="mixes SIEC families"),
    ),
    "tsv text in a cell": (
        "bad_tsv_cell.tsv",
        tsv_oil([TSV_OIL_ROWS[0].replace("2142.702 ", "2,142.702 ")]),
        dict(row=2, column="2022", reason="not a number with flags: '2,142.702 '"),
    ),
    "tsv empty cell": (
        "bad_tsv_empty_cell.tsv",
        tsv_oil([TSV_OIL_ROWS[0], TSV_OIL_ROWS[1].replace("\t3900.1 ", "\t")]),
        dict(row=3, column="2021", reason="empty cell"),
    ),
    "tsv bad period header": (
        "bad_tsv_period.tsv",
        tsv_oil(header=TSV_OIL_HEADER.replace("2021 ", "2021Q4 ")),
        dict(row=1, column="2021Q4", reason="unreadable period"),
    ),
    "tsv series key too short": (
        "bad_tsv_key.tsv",
        tsv_oil([TSV_OIL_ROWS[0].replace("KZ,THS_T,", "KZ,")]),
        dict(row=2, column="freq,siec,partner,unit,geo\\TIME_PERIOD", reason="does not have the 5 codes"),
    ),
    "tsv duplicated series": (
        "bad_tsv_duplicate.tsv",
        tsv_oil([TSV_OIL_ROWS[0], TSV_OIL_ROWS[1], TSV_OIL_ROWS[0]]),
        dict(row=4, reason="duplicated key"),
    ),
    "register missing column": (
        "bad_register_missing.csv",
        register([",".join(r.split(",")[:5] + r.split(",")[6:]) for r in REGISTER_ROWS[:2]]).replace(
            ",CIF price (2) ($/bbl)", "", 1
        ),
        dict(row=1, column="CIF price (2) ($/bbl)", reason="missing column"),
    ),
    "register unknown origin": (
        "bad_register_origin.csv",
        register([REGISTER_ROWS[0], REGISTER_ROWS[1].replace(",Kazakhstan,", ",Narnia,", 1)]),
        dict(row=3, column="Country of Origin", reason="unknown country of origin: 'Narnia'"),
    ),
    "register date not a month end": (
        "bad_register_date.csv",
        register([REGISTER_ROWS[0].replace("2013-01-31", "2013-01-15")]),
        dict(row=2, column="date", reason="unreadable date"),
    ),
    "register text in volume": (
        "bad_register_volume.csv",
        register([REGISTER_ROWS[0].replace(",123.07,", ",approx. 123,")]),
        dict(row=2, column="Volume (1000 bbl)", reason="not a number"),
    ),
    "register duplicated key": (
        "bad_register_duplicate.csv",
        register([REGISTER_ROWS[1], REGISTER_ROWS[0], REGISTER_ROWS[1]]),
        dict(row=4, column="Reporting Country", reason="on lines 2, 4"),
    ),
    "fact without source_url": (
        "bad_facts_source_url.csv",
        facts([FACTS_ROWS[0], FACTS_ROWS[1].replace(NUCNET_ESA_2022, "")]),
        dict(row=3, column="source_url", reason="source_url is required"),
    ),
    "fact source_url not an address": (
        "bad_facts_source_url_text.csv",
        facts([FACTS_ROWS[0].replace(NUCNET_ESA_2022, "NucNet 19 October 2023")]),
        dict(row=2, column="source_url", reason="'NucNet 19 October 2023'"),
    ),
    "fact id repeated": (
        "bad_facts_id.csv",
        facts([FACTS_ROWS[0], FACTS_ROWS[1].replace("esa_2022_u_ne", "esa_2022_u_kz")]),
        dict(row=3, column="fact_id", reason="duplicated key"),
    ),
    "empty file": ("bad_empty.csv", "", dict(row=1, reason="empty")),
    "header only": ("bad_header_only.csv", REGISTER_HEADER + "\n", dict(row=2, reason="no data rows")),
    "tsv header only": ("bad_tsv_header_only.tsv", TSV_OIL_HEADER + "\n", dict(row=2, reason="no data rows")),
    "trade file in energy folder": (
        "Relational_View.csv",
        relational(),
        dict(row=1, reason="it belongs in raw/trade/"),
    ),
    "GDELT file in energy folder": (
        "20160728.export.CSV",
        GDELT_LINE + "\n",
        dict(row=1, reason="it belongs in raw/gdelt/"),
    ),
    "unknown header": (
        "notes.csv",
        "country,year,value\nKZ,2020,1\n",
        dict(row=1, reason="header not recognised"),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_file_names_file_row_and_column(con, tmp_path, case):
    name, text, expected = CASES[case]
    path = write(tmp_path / "energy" / name, text)
    with pytest.raises(RawFileError) as caught:
        read_energy_file(con, path)
    error = caught.value
    assert error.file.endswith(name) and name in str(error)
    assert error.row == expected["row"], str(error)
    if "column" in expected:
        assert error.column == expected["column"], str(error)
    assert expected["reason"] in str(error), str(error)


@pytest.mark.parametrize(
    "case",
    [
        "sdmx duplicated key",
        "tsv mixed SIEC families",
        "fact without source_url",
        "trade file in energy folder",
        "GDELT file in energy folder",
    ],
)
def test_one_bad_file_lands_nothing_of_the_folder(con, tmp_path, case):
    """Landing is one transaction: a good file beside a bad one does not land either."""
    name, text, expected = CASES[case]
    write(tmp_path / "raw" / "energy" / "a_good_register.csv", register())
    write(tmp_path / "raw" / "energy" / name, text)
    with pytest.raises(RawFileError) as caught:
        land(con, tmp_path / "raw")
    assert caught.value.file.endswith(f"energy/{name}") and expected["reason"] in str(caught.value)
    assert con.sql("SELECT count(*) FROM raw.energy_imports").fetchall() == [(0,)]
    assert con.sql("SELECT status, file FROM audit.load_log").fetchall() == [("rejected", f"energy/{name}")]


def test_truncated_gzip(con, tmp_path):
    whole = gzip.compress(register().encode(), mtime=0)
    path = tmp_path / "energy" / "register.csv.gz"
    path.parent.mkdir()
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(RawFileError) as caught:
        read_energy_file(con, path)
    assert caught.value.file.endswith("register.csv.gz")


def test_truncated_gzip_lands_nothing(con, tmp_path):
    whole = gzip.compress(tsv_oil().encode(), mtime=0)
    path = tmp_path / "raw" / "energy" / "estat_nrg_ti_oil.tsv.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(whole[:-12])  # the gzip trailer and the last bytes cut off
    with pytest.raises(RawFileError, match=re.escape("estat_nrg_ti_oil.tsv.gz")):
        land(con, tmp_path / "raw")
    assert con.sql("SELECT count(*) FROM raw.energy_imports").fetchall() == [(0,)]


def test_trade_header_named_even_when_only_the_header_is_there(con, tmp_path):
    path = write(tmp_path / "export.csv", RELATIONAL_HEADER + "\n")
    with pytest.raises(RawFileError, match="raw/trade/"):
        read_energy_file(con, path)
