"""Energy readers against the real files: the shared extracts (skipped where absent) and the
snapshot in raw/energy/ derived from them."""

from __future__ import annotations

import importlib.util

import duckdb
import pytest

from conftest import REPO, shared_file
from pipelines.core.landing import land_folder
from pipelines.domains.energy.readers import read_energy_file
from pipelines.domains.energy.schema import ENERGY_IMPORTS

pytestmark = pytest.mark.shared_data

SNAPSHOT = REPO / "raw" / "energy"
OIL_TSV = SNAPSHOT / "eurostat_nrg_ti_oil_crude_from_KZ_by_importer_annual_1990-2022.tsv.gz"
EU27 = tuple(
    line.split(",")[0]
    for line in (REPO / "dbt_project" / "seeds" / "eu27_member_states.csv").read_text().splitlines()[1:]
)


def landed(con, path):
    con.execute(f"CREATE OR REPLACE TEMP TABLE landed AS {read_energy_file(con, path).select}")
    return "landed"


def test_real_coifpm_extract_keeps_confidential_cells_null(con):
    path = shared_file("energy", "eurostat_nrg_ti_coifpm_KZ_grades_and_TOTAL_monthly_2005-2024.csv")
    table = landed(con, path)
    assert con.sql(f"SELECT count(*), count(DISTINCT dataset) FROM {table}").fetchall() == [(36274, 1)]
    flags = dict(con.sql(f"SELECT obs_flag, count(*) FROM {table} WHERE obs_value IS NULL GROUP BY 1").fetchall())
    assert flags == {"c": 6780, "bc": 8}  # every unpublished cell is confidential, none became a zero
    cpc = con.sql(f"""SELECT obs_value FROM {table} WHERE product_code = 'KZ_CPC_BLN'
                      AND indicator_code = 'VOL_THS_BBL' AND reporter_code = 'EU_V' AND period_code = '2022-01'""")
    assert cpc.fetchall() == [(26403.048,)]


def test_real_dg_ener_register_every_name_maps_and_keys_are_unique(con):
    path = shared_file("energy", "dg_ener_crude_oil_import_register_EU28_monthly_2013-2019.csv")
    table = landed(con, path)  # the reader refuses duplicated keys: none in the real register
    assert con.sql(f"SELECT count(*), count(DISTINCT source_line) FROM {table}").fetchall() == [(17277 * 4, 17277)]
    assert con.sql(f"SELECT count(DISTINCT reporter_code), count(DISTINCT partner_code) FROM {table}").fetchall() == [
        (22, 42)
    ]
    greece = con.sql(f"""SELECT obs_value FROM {table} WHERE reporter_code = 'EL' AND partner_code = 'KZ'
                         AND period_code = '2019-12' AND indicator_code = 'VOL_THS_BBL'""").fetchall()
    assert greece == [(1403.0,)]
    shares = con.sql(f"""SELECT min(s), max(s) FROM (SELECT period_code, sum(obs_value) AS s FROM {table}
                         WHERE indicator_code = 'PC_TOTAL_IMPORTS' GROUP BY 1)""").fetchall()[0]
    assert shares == pytest.approx((1.0, 1.0), abs=1e-9)  # a fraction of the EU total, not a percentage


def test_snapshot_oil_gives_the_readme_eu27_total_for_2022(con):
    """Shared README: the EU27 sum of crude from Kazakhstan in 2022 is 36,573.7 thousand tonnes."""
    table = landed(con, OIL_TSV)
    total = con.sql(f"""SELECT sum(obs_value) FROM {table} WHERE period_code = '2022'
                        AND reporter_code IN {EU27}""").fetchall()[0][0]
    assert round(total, 1) == 36573.7


def test_snapshot_oil_equals_the_shared_extract(con):
    source = shared_file("energy", "eurostat_nrg_ti_oil_crude_from_KZ_by_importer_annual_1990-2022.csv")
    table = landed(con, OIL_TSV)
    years = ", ".join(f'"{y}"' for y in range(1990, 2023))
    expected = con.sql(f"""SELECT year, sum(TRY_CAST(v AS DOUBLE)), count(*) FILTER (WHERE v = 'NA')
        FROM read_csv('{source}', comment = '#', header = true, all_varchar = true) UNPIVOT (v FOR year IN ({years}))
        GROUP BY 1 ORDER BY 1""").fetchall()
    got = con.sql(f"""SELECT period_code, sum(obs_value), count(*) FILTER (WHERE obs_value IS NULL)
        FROM {table} GROUP BY 1 ORDER BY 1""").fetchall()
    assert [(year, n) for year, _, n in got] == [(year, n) for year, _, n in expected]  # ':' where 'NA'
    assert [total for _, total, _ in got] == pytest.approx([total for _, total, _ in expected])


def test_snapshot_lands_as_one_raw_table(tmp_path):
    con = duckdb.connect()
    loads = land_folder(con, REPO / "raw", "energy", ENERGY_IMPORTS, read_energy_file)
    assert {load.status for load in loads} == {"loaded"}
    counts = dict(
        con.sql(
            "SELECT dataset, count(*) FROM raw.energy_imports WHERE source_format <> 'reference_facts' GROUP BY 1"
        ).fetchall()
    )
    assert counts == {"nrg_ti_oil": 40 * 33, "nrg_ti_gas": 5 * 33, "nrg_ti_coifpm": 26601, "dg_ener_coir": 17277 * 4}
    assert con.sql(
        "SELECT count(*) FROM raw.energy_imports WHERE source_url IS NULL AND source_format = 'reference_facts'"
    ).fetchall() == [(0,)]
    assert con.sql(
        "SELECT count(*) FROM raw.energy_imports WHERE obs_value IS NULL AND obs_flag IS NULL"
    ).fetchall() == [(0,)]


def test_snapshot_is_what_the_script_derives(tmp_path, monkeypatch):
    """raw/energy/ is reproducible byte for byte from the shared extracts."""
    shared = shared_file("energy").parent
    spec = importlib.util.spec_from_file_location("derive_energy_snapshot", REPO / "raw" / "derive_energy_snapshot.py")
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    monkeypatch.setattr(derive, "OUT", tmp_path)
    monkeypatch.setattr("sys.argv", ["derive_energy_snapshot.py", "--shared", str(shared)])
    derive.main()
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted([*derive.TSV, derive.COIFPM_OUT, derive.REGISTER_OUT])
    for name in written:
        assert (tmp_path / name).read_bytes() == (SNAPSHOT / name).read_bytes(), name
