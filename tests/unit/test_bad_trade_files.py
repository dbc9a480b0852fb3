"""Bad trade files give one clear error naming file, row and column (generated bad inputs)."""

import pytest

from conftest import write
from fixtures_trade import BULK_HEADER_18, BULK_ROWS_18, RELATIONAL_HEADER, bulk_18, relational, sdmx
from pipelines.core.errors import RawFileError
from pipelines.core.landing import land_folder
from pipelines.domains.trade.readers import read_trade_file
from pipelines.domains.trade.schema import TRADE_FLOWS


def land_one(con, tmp_path, name, text):
    write(tmp_path / "raw" / "trade" / name, text)
    with pytest.raises(RawFileError) as caught:
        land_folder(con, tmp_path / "raw", "trade", TRADE_FLOWS, lambda c, p: read_trade_file(c, p, ("AD", "KZ")))
    return caught.value


CASES = {
    "bulk missing column": (
        "generated_bad_bulk_missing_column.dat",
        bulk_18().replace("VALUE_EUR,", "VALUE,"),
        dict(row=1, column="VALUE_EUR"),
    ),
    "bulk text in value": (
        "generated_bad_bulk_text_value.dat",
        bulk_18([BULK_ROWS_18[0], BULK_ROWS_18[1].replace(",2700,2700,", ",27OO,2700,")]),
        dict(row=3, column="VALUE_EUR", reason="27OO"),
    ),
    "bulk duplicated key": (
        "generated_bad_bulk_duplicate.dat",
        bulk_18([BULK_ROWS_18[1], BULK_ROWS_18[0], BULK_ROWS_18[0]]),
        dict(row=4, column="reporter_code", reason="on lines [3, 4]"),
    ),
    "bulk unknown flow": (
        "generated_bad_bulk_flow.dat",
        bulk_18([BULK_ROWS_18[0].replace(",06,2,1,", ",06,7,1,")]),
        dict(column="flow"),
    ),
    "relational text in value": (
        "generated_bad_relational_text_value.csv",
        relational(["Austria,Kazakhstan,TOTAL-Total,2-EXPORT,T-Total,201901-Jan. 2019,9 141 431 EUR"]),
        dict(row=2, column="VALUE_IN_EUR", reason="9 141 431 EUR"),
    ),
    "relational unknown partner label": (
        "generated_bad_relational_partner.csv",
        relational(
            [
                "Austria,Kazakhstan,Total,EXPORT,Total,Jan.-Dec. 2018,1",
                "Austria,Narnia,Total,EXPORT,Total,Jan.-Dec. 2018,1",
            ]
        ),
        dict(row=3, column="PARTNER", reason="unknown partner label"),
    ),
    "relational duplicated key": (
        "generated_bad_relational_duplicate.csv",
        relational(
            [
                "Austria,Kazakhstan,Total,EXPORT,Total,Jan.-Dec. 2018,1",
                "Austria,Kazakhstan,TOTAL-Total,2-EXPORT,T-Total,201852-Jan.-Dec. 2018,2",
            ]
        ),
        dict(row=3, column="reporter_code", reason="duplicated key"),
    ),
    "relational missing column": (
        "generated_bad_relational_missing.csv",
        RELATIONAL_HEADER.replace(",FLOW", "") + "\nAustria,Kazakhstan,Total,Total,Jan.-Dec. 2018,1\n",
        dict(row=1, reason="header not recognised"),
    ),
    "relational quarter period": (
        "generated_bad_relational_period.csv",
        relational(["Austria,Kazakhstan,Total,EXPORT,Total,Jan.-Mar. 2018,1"]),
        dict(row=2, column="PERIOD", reason="unknown period label"),
    ),
    "sdmx duplicated observation": (
        "generated_bad_sdmx_duplicate.csv",
        sdmx([sdmx().splitlines()[1], sdmx().splitlines()[1]]),
        dict(row=3, column="reporter", reason="duplicated key"),
    ),
    "empty file": ("generated_bad_empty.csv", "", dict(row=1, reason="empty")),
    "header only": ("generated_bad_header_only.csv", RELATIONAL_HEADER + "\n", dict(row=2, reason="no data rows")),
    "bulk header only": ("generated_bad_bulk_header_only.dat", BULK_HEADER_18 + "\n", dict(reason="no rows")),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_file_names_file_row_and_column(con, tmp_path, case):
    name, text, expected = CASES[case]
    error = land_one(con, tmp_path, name, text)
    assert error.file.endswith(name)
    assert name in str(error)
    if "row" in expected:
        assert error.row == expected["row"], str(error)
    if "column" in expected:
        assert error.column == expected["column"], str(error)
    if "reason" in expected:
        assert expected["reason"] in str(error)
    # nothing half-loaded
    assert con.sql("SELECT count(*) FROM raw.trade_flows").fetchall() == [(0,)]
