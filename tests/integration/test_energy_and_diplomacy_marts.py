"""The energy and diplomacy marts answer their questions with the publishers' figures.

Expected figures are recomputed with the csv module straight from the raw snapshot files, not
through DuckDB or dbt.
"""

import csv
import gzip
import io
import shutil
import zipfile
from collections import defaultdict

import pytest

from conftest import REPO
from warehouse_build import GDELT_FILE_DROPPED_LATER, query, rebuild

pytestmark = pytest.mark.slow

RAW = REPO / "raw"
OIL_TSV = RAW / "energy" / "eurostat_nrg_ti_oil_crude_from_KZ_by_importer_annual_1990-2022.tsv.gz"
COIFPM = RAW / "energy" / "eurostat_nrg_ti_coifpm_KZ_grades_and_TOTAL_EU_monthly_2013-2023.sdmx.csv.gz"
REGISTER = RAW / "energy" / "dg_ener_crude_oil_import_register_EU28_monthly_2013-2019.csv.gz"
CATALOGUE = RAW / "events" / "kz_eu_diplomatic_events.csv"
with open(REPO / "dbt_project" / "seeds" / "eu27_member_states.csv") as seed:
    EU27 = {r["geo_code"] for r in csv.DictReader(seed)}


def crude_from_kazakhstan_kt() -> dict:
    """(geo, year) -> thousand tonnes, from the Eurostat TSV (None where ':', not available)."""
    with gzip.open(OIL_TSV, "rt", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    years = [int(h.strip()) for h in rows[0][1:]]
    figures = {}
    for row in rows[1:]:
        geo = row[0].split(",")[-1]
        for year, cell in zip(years, row[1:], strict=True):
            value = cell.strip().split(" ")[0]
            figures[(geo, year)] = None if value == ":" else float(value)
    return figures


def test_eu_crude_imports_from_kazakhstan_in_tonnes_since_1990_by_member_state(built):
    expected = crude_from_kazakhstan_kt()
    rows = query(
        built,
        """
        SELECT reporter_code, year, mass_t, mass_kt FROM marts.fct_energy_imports_from_kz_annual
        WHERE product_code = 'crude_oil' AND reporter_code <> 'EU27_2020'""",
    )
    assert {(r[0], r[1]) for r in rows} == set(expected)
    for geo, year, mass_t, mass_kt in rows:
        if expected[(geo, year)] is None:  # not available stays NULL, never 0
            assert (mass_t, mass_kt) == (None, None)
            continue
        assert mass_kt == pytest.approx(expected[(geo, year)], abs=1e-9)
        assert mass_t == pytest.approx(expected[(geo, year)] * 1000, abs=1e-6)
    eu27 = dict(
        query(
            built,
            """
        SELECT year, mass_t FROM marts.fct_energy_imports_from_kz_annual
        WHERE product_code = 'crude_oil' AND reporter_code = 'EU27_2020' ORDER BY year""",
        )
    )
    assert min(eu27) == 1990 and max(eu27) == 2022
    for year, mass_t in eu27.items():
        assert mass_t == pytest.approx(
            1000 * sum(v or 0 for (g, y), v in expected.items() if y == year and g in EU27), abs=1e-3
        )
    assert eu27[2022] == pytest.approx(36_573_674, abs=1)  # shared README: EU27 sum 2022, 36,573.7 kt


def register_shares() -> dict:
    """year -> (Kazakh, all) volume in thousand barrels, every reporting country of the register."""
    sums = defaultdict(lambda: [0.0, 0.0])
    with gzip.open(REGISTER, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year, volume = int(row["date"][:4]), float(row["Volume (1000 bbl)"])
            sums[year][1] += volume
            if row["Country of Origin"] == "Kazakhstan":
                sums[year][0] += volume
    return sums


def coifpm_volumes(geo: str = "EU_V") -> dict:
    """(year, crudeoil) -> (published thousand barrels, confidential months) for one reporter."""
    sums = defaultdict(lambda: [0.0, 0])
    with gzip.open(COIFPM, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["geo"] == geo and row["indic_nrg"] == "VOL_THS_BBL" and row["TIME_PERIOD"] >= "2020":
                key = (int(row["TIME_PERIOD"][:4]), row["crudeoil"])
                if row["OBS_VALUE"]:
                    sums[key][0] += float(row["OBS_VALUE"])
                else:
                    sums[key][1] += 1
    return sums


def test_kazakhstan_share_of_eu_crude_imports_2013_2023(built):
    rows = query(
        built,
        """
        SELECT year, share, share_is_lower_bound, supplier_volume_kbbl, total_volume_kbbl, source_dataset
        FROM marts.fct_energy_supplier_share_annual
        WHERE reporter_code = 'EU' AND product_code = 'crude_oil' AND supplier_code = 'KZ' AND basis = 'volume'
        ORDER BY year""",
    )
    assert [r[0] for r in rows] == list(range(2013, 2024))
    register, coifpm = register_shares(), coifpm_volumes()
    for year, share, lower_bound, kz, total, source in rows:
        if year <= 2019:  # the DG ENER register: every origin listed, nothing confidential
            assert source == "dg_ener_coir" and not lower_bound
            assert (kz, total) == pytest.approx(tuple(register[year]), rel=1e-12)
        else:  # Eurostat coifpm: Kazakh grades, some confidential at EU level
            kazakh = sum(v[0] for (y, grade), v in coifpm.items() if y == year and grade.startswith("KZ_"))
            confidential = sum(v[1] for (y, grade), v in coifpm.items() if y == year and grade.startswith("KZ_"))
            assert source == "nrg_ti_coifpm" and lower_bound == (confidential > 0)
            assert (kz, total) == pytest.approx((kazakh, coifpm[(year, "TOTAL")][0]), rel=1e-12)
        assert share == pytest.approx(kz / total, rel=1e-12)
        assert 0.04 < share < 0.09  # Kazakhstan: some 5-8% of EU crude imports in these years


def test_kazakhstan_share_by_grade(built):
    rows = dict(
        query(
            built,
            """
        SELECT grade_code, share_of_volume FROM marts.fct_energy_kz_crude_grades_annual
        WHERE reporter_code = 'EU' AND year = 2021 AND source_dataset = 'nrg_ti_coifpm'""",
        )
    )
    coifpm = coifpm_volumes()
    assert rows["KZ_CPC_BLN"] == pytest.approx(coifpm[(2021, "KZ_CPC_BLN")][0] / coifpm[(2021, "TOTAL")][0], rel=1e-12)
    assert {"KZ_CPC_BLN", "KZ_KEBCO_BLN", "KZ_KKL"} <= set(rows)
    # a grade confidential all year has no share, not a zero
    (months,) = query(
        built,
        """SELECT months_published FROM marts.fct_energy_kz_crude_grades_annual
        WHERE reporter_code = 'EU' AND year = 2021 AND grade_code = 'KZ_KEBCO_BLN'""",
    )[0]
    assert months == 0 and rows["KZ_KEBCO_BLN"] is None


def test_natural_uranium_share_is_cited(built):
    rows = query(
        built,
        """
        SELECT year, share, source_dataset, source_url FROM marts.fct_energy_supplier_share_annual
        WHERE product_code = 'uranium_natural'""",
    )
    assert [(r[0], r[1], r[2]) for r in rows] == [(2022, pytest.approx(0.2682), "esa_annual_report")]
    assert rows[0][3].startswith("https://")


def test_the_diplomatic_events_of_2022_with_sources(built):
    with open(CATALOGUE, newline="", encoding="utf-8") as handle:
        expected = {
            r["event_id"]: r["source_url"] for r in csv.DictReader(handle) if r["date_start"].startswith("2022")
        }
    rows = query(
        built,
        """
        SELECT event_id, source_url, title FROM marts.fct_diplomatic_events
        WHERE year(event_date) = 2022 AND origin = 'catalogue' ORDER BY event_date""",
    )
    assert {r[0]: r[1] for r in rows} == expected and len(expected) >= 5
    titles = " ".join(r[2] for r in rows)
    assert "Cooperation Council" in titles and "raw materials" in titles


def test_relationship_annual_puts_the_domains_side_by_side(built):
    (row,) = query(
        built,
        """
        SELECT eu27_exports_eur, kz_share_of_eu_crude_imports_volume, eu27_crude_imports_from_kz_kt,
               kz_share_of_eu_natural_uranium, catalogue_events
        FROM marts.fct_relationship_annual WHERE year = 2022 AND partner_code = 'KZ'""",
    )
    assert all(value is not None for value in row)
    assert (
        row[4]
        == query(
            built,
            "SELECT count(*) FROM marts.fct_diplomatic_events WHERE year(event_date) = 2022 AND origin = 'catalogue'",
        )[0][0]
    )


def kazakh_rows(path) -> int:
    """Events of a GDELT export zip with a Kazakh actor or located in Kazakhstan (csv module)."""
    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    return sum(
        1 for r in rows if "KAZ" in (r[7], r[17]) or r[5].startswith("KAZ") or r[15].startswith("KAZ") or r[53] == "KZ"
    )


def test_a_gdelt_file_dropped_into_raw_gdelt_is_landed_and_shows_in_the_marts(built):
    events = "SELECT coalesce(sum(events), 0) FROM marts.fct_diplomatic_activity_quarterly WHERE quarter = '2020-Q4'"
    before = query(built, events)[0][0]
    source = RAW / "gdelt" / GDELT_FILE_DROPPED_LATER
    shutil.copy2(source, built / "raw" / "gdelt" / GDELT_FILE_DROPPED_LATER)
    assert rebuild(built).success
    loaded = query(
        built,
        "SELECT status, rows_kept FROM audit.load_log WHERE file = ? ORDER BY loaded_at DESC LIMIT 1",
        [f"gdelt/{GDELT_FILE_DROPPED_LATER}"],
    )
    assert loaded == [("loaded", kazakh_rows(source))] and loaded[0][1] > 0
    assert query(built, events)[0][0] == before + kazakh_rows(source)
    counts = query(
        built,
        """SELECT sum(events) FROM marts.fct_diplomatic_event_counts_quarterly
        WHERE origin = 'gdelt' AND quarter = '2020-Q4'""",
    )[0][0]
    assert counts == before + kazakh_rows(source)
