"""Readers against the real publisher extracts in ../shared/data/trade (skipped where absent)."""

import csv
from collections import defaultdict

import pytest

from conftest import REPO, shared_file
from pipelines.domains.trade.readers import read_trade_file

pytestmark = pytest.mark.shared_data


def test_real_bulk_excerpt(con):
    path = shared_file("trade", "comext_full_v2_real_excerpt_full_202402_AT_to_AD.dat")
    frame = con.sql(read_trade_file(con, path, ("AD",)).select).df()
    assert len(frame) == 13
    assert set(frame.reporter_code) == {"AT"} and set(frame.flow) == {"export"}
    residual = frame[frame.product_code == "39XXXXXX"]
    assert residual.value_eur.tolist() == [89]
    with open(path, encoding="utf-8") as handle:
        assert frame.value_eur.sum() == sum(float(r["VALUE_EUR"]) for r in csv.DictReader(handle))


def test_real_relational_exports_all_partners_every_label_maps(con):
    path = shared_file("trade", "comext_relational_EU27_exports_all_partners_annual_2010-2023.csv")
    frame = con.sql(read_trade_file(con, path, ()).select).df()
    assert len(frame) == 3407  # every label of 14 exports, English and French, mapped
    assert set(frame.reporter_code) == {"EU27_2020"}
    assert set(frame.period_freq) == {"A"} and frame.period_code.str.endswith("52").all()
    kz = frame[frame.partner_code == "KZ"].set_index("period_code").value_eur
    assert kz["202252"] == 10347711062


def test_real_relational_monthly_eu27_equals_member_state_sum(con):
    path = shared_file("trade", "comext_relational_exports_to_KZ_by_reporter_monthly_2019-01_2024-08.csv")
    frame = con.sql(read_trade_file(con, path, ()).select).df()
    assert len(frame) == 2089
    members = {
        line.split(",")[0]
        for line in (REPO / "dbt_project" / "seeds" / "eu27_member_states.csv").read_text().splitlines()[1:]
    }
    monthly = frame.groupby(["period_code", frame.reporter_code.isin(members)]).value_eur.sum()
    published = frame[frame.reporter_code == "EU27_2020"].set_index("period_code").value_eur
    for period, value in published.items():
        assert monthly[(period, True)] == pytest.approx(value, rel=5e-4)


def test_snapshot_reproduces_the_data_browser_extract(con):
    """raw/ holds the real figures: the landed SDMX snapshot sums to the shared extract."""
    source = shared_file("trade", "comext_DS-045409_KZ_by_member_state_monthly_2020-2022.csv")
    expected = defaultdict(float)
    with open(source, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["value_eur"]:
                expected[(row["flow"].lower(), row["product_code"], row["period"][:4])] += float(row["value_eur"])
    snapshot = REPO / "raw" / "trade" / "comext_ds045409_7partners_by_member_state_monthly_2020-2022.sdmx.csv.gz"
    landed = con.sql(
        f"SELECT flow, product_code, CAST(year(period_start) AS VARCHAR) AS y, sum(value_eur) "
        f"FROM ({read_trade_file(con, snapshot, ()).select}) WHERE partner_code = 'KZ' GROUP BY ALL"
    ).fetchall()
    assert {(f, p, y): v for f, p, y, v in landed} == pytest.approx(dict(expected))
