"""Germany's crude imports by origin and consignment answer "how much Kazakh crude reaches Germany
consigned via Russia" with Comtrade's own figures.

Expected figures are recomputed with the csv module straight from the raw snapshot file (Latin-1,
as published), not through DuckDB or dbt.
"""

import csv
import gzip
import io
from collections import defaultdict

import pytest

from conftest import REPO
from warehouse_build import query

pytestmark = pytest.mark.slow

COMTRADE = REPO / "raw" / "trade" / "un_comtrade_DE_imports_HS2709_by_origin_and_consignment_2019-2024.csv.gz"


def comtrade_rows() -> list[dict]:
    with gzip.open(COMTRADE, "rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode("latin-1"), newline="")))


def kazakh_crude_by_consignment() -> dict:
    """year -> consignment country name -> (kg, USD) of Kazakh-origin crude ('World': the total)."""
    routes = defaultdict(dict)
    for row in comtrade_rows():
        if row["Partner"] == "Kazakhstan":
            routes[int(row["Year"])][row["Partner2"]] = (float(row["Quantity"]), float(row["Trade Value"]))
    return routes


def test_kazakh_crude_consigned_via_russia_2019_2024(built):
    expected = kazakh_crude_by_consignment()
    rows = query(
        built,
        """
        SELECT year, mass_kg, value_usd, consignment_published, mass_kg_consigned_from_russia,
               value_usd_consigned_from_russia, mass_kg_consigned_from_third_countries, russia_share_of_mass,
               third_country_share_of_mass
        FROM marts.fct_energy_de_crude_imports_by_origin_annual WHERE origin_code = 'KZ' ORDER BY year""",
    )
    assert [r[0] for r in rows] == sorted(expected) == list(range(2019, 2025))
    for year, mass, value, published, via_ru, via_ru_usd, via_third, ru_share, third_share in rows:
        routes = expected[year]
        total_kg, total_usd = routes["World"]
        assert (mass, value) == (total_kg, total_usd)
        if set(routes) == {"World"}:  # 2019: Comtrade gives no consignment breakdown
            assert not published and (via_ru, via_third, ru_share) == (None, None, None)
            continue
        third = sum(kg for country, (kg, _) in routes.items() if country not in ("World", "Kazakhstan"))
        assert published
        assert (via_ru, via_ru_usd) == routes["Russian Federation"]
        assert via_third == pytest.approx(third, abs=0.5)
        assert ru_share == pytest.approx(routes["Russian Federation"][0] / total_kg, rel=1e-12)
        assert third_share == pytest.approx(third / total_kg, rel=1e-12)
    by_year = {r[0]: r for r in rows}
    # shared README: Kazakhstan 2024 10.59 Mt, of which 2.59 Mt consigned via Russia; 2020 USD 2,495.2 m
    assert round(by_year[2024][1] / 1e9, 2) == 10.59 and round(by_year[2024][4] / 1e9, 2) == 2.59
    assert round(by_year[2020][2] / 1e6, 1) == 2495.2


def test_every_origin_total_and_route_is_comtrades(built):
    rows = comtrade_rows()
    totals = {
        (int(r["Year"]), r["Partner"]): (float(r["Quantity"]), float(r["Trade Value"]))
        for r in rows
        if r["Partner2"] == "World" and r["Partner"] != "World"
    }
    marts = query(
        built,
        """SELECT year, origin_label, mass_kg, value_usd
                            FROM marts.fct_energy_de_crude_imports_by_origin_annual""",
    )
    assert {(y, label): (kg, usd) for y, label, kg, usd in marts} == totals
    routes = query(
        built,
        """SELECT year, origin_label, consignment_label, mass_kg, value_usd
                             FROM marts.fct_energy_de_crude_by_origin_and_consignment_annual""",
    )
    broken_down = {(int(r["Year"]), r["Partner"]) for r in rows if r["Partner2"] != "World"}
    expected = {
        (int(r["Year"]), r["Partner"], r["Partner2"]): (float(r["Quantity"]), float(r["Trade Value"]))
        for r in rows
        if r["Partner"] != "World" and (r["Partner2"] != "World") == ((int(r["Year"]), r["Partner"]) in broken_down)
    }
    assert {(y, o, c): (kg, usd) for y, o, c, kg, usd in routes} == expected
