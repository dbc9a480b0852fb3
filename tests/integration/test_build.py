"""The whole graph, materialised in-process into a temporary warehouse from the raw snapshot.

Expected figures are recomputed here with the csv module straight from the raw files, not
through DuckDB or dbt, so the test checks the pipeline against the publisher's numbers.
"""

import csv
import gzip
import hashlib
from collections import defaultdict

import pytest

from conftest import REPO, write
from fixtures_trade import relational
from pipelines.domains import raw_sources
from warehouse_build import materialized, query, rebuild

pytestmark = pytest.mark.slow

SNAPSHOT = REPO / "raw" / "trade"
SDMX_FILE = SNAPSHOT / "comext_ds045409_7partners_by_member_state_monthly_2020-2022.sdmx.csv.gz"
ANNUAL_FILE = SNAPSHOT / "easy_comext_eu27_exports_all_partners_annual_2010-2023.csv.gz"


def member_state_sums(flow: str, partner: str = "KZ") -> dict:
    """Sum over member states per year of SDMX rows (flow '1' import, '2' export), product TOTAL."""
    totals = defaultdict(float)
    with gzip.open(SDMX_FILE, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["partner"] == partner and row["product"] == "TOTAL" and row["flow"] == flow:
                totals[int(row["TIME_PERIOD"][:4])] += float(row["OBS_VALUE"])
    return dict(totals)


def eu27_exports_to_kazakhstan() -> dict:
    with gzip.open(ANNUAL_FILE, "rt", encoding="utf-8") as handle:
        return {
            int(r["PERIOD"][-4:]): float(r["VALUE_IN_EUR"])
            for r in csv.DictReader(handle)
            if r["PARTNER"] == "Kazakhstan"
        }


def test_eu27_trade_with_kazakhstan_by_year_matches_the_sources(built):
    rows = query(
        built,
        """
        SELECT year, exports_eur, imports_eur, balance_eur, import_months_reported
        FROM marts.fct_trade_balance_annual
        WHERE reporter_code = 'EU27_2020' AND partner_code = 'KZ' AND year BETWEEN 2020 AND 2022 ORDER BY year""",
    )
    imports, exports = member_state_sums("1"), eu27_exports_to_kazakhstan()
    assert [r[0] for r in rows] == [2020, 2021, 2022]
    for year, exports_eur, imports_eur, balance_eur, _months in rows:
        assert exports_eur == pytest.approx(exports[year], abs=1)  # published EU27 annual figure
        assert imports_eur == pytest.approx(imports[year], abs=1)  # member-state sum (only states given)
        assert balance_eur == pytest.approx(exports[year] - imports[year], abs=2)
    assert [r[4] for r in rows] == [12, 12, 11]  # 2022-12 was not yet published in the extract


def test_member_states_ranked_by_imports_from_kazakhstan(built):
    top = query(
        built,
        """
        SELECT reporter_code, member_state_import_rank FROM marts.fct_trade_balance_annual
        WHERE partner_code = 'KZ' AND year = 2021 AND member_state_import_rank <= 3 ORDER BY 2""",
    )
    by_state = defaultdict(float)
    with gzip.open(SDMX_FILE, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (
                row["partner"] == "KZ"
                and row["product"] == "TOTAL"
                and row["flow"] == "1"
                and row["TIME_PERIOD"].startswith("2021")
            ):
                by_state["EL" if row["reporter"] == "GR" else row["reporter"]] += float(row["OBS_VALUE"])
    expected = sorted(by_state, key=by_state.get, reverse=True)[:3]
    assert [r[0] for r in top] == expected


def test_kazakhstan_share_of_extra_eu_exports(built):
    (share,) = query(
        built,
        """
        SELECT share_of_extra_eu27_exports FROM marts.fct_trade_balance_annual
        WHERE reporter_code = 'EU27_2020' AND partner_code = 'KZ' AND year = 2018""",
    )[0]
    # 2018: the Extra-EU27 aggregate is published in the same file
    with gzip.open(ANNUAL_FILE, "rt", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["PERIOD"].endswith("2018")]
    kz = next(float(r["VALUE_IN_EUR"]) for r in rows if r["PARTNER"] == "Kazakhstan")
    extra = next(float(r["VALUE_IN_EUR"]) for r in rows if r["PARTNER"].startswith("Extra-EU27"))
    assert share == pytest.approx(kz / extra, rel=1e-9)


def test_assets_carry_row_counts_and_previews(build_run):
    built, result = build_run
    materialized = {
        e.event_specific_data.materialization.asset_key.to_user_string(): e.event_specific_data.materialization.metadata
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION"
    }
    marts = materialized["marts/fct_trade_monthly"]
    assert marts["dagster/row_count"].value == query(built, "SELECT count(*) FROM marts.fct_trade_monthly")[0][0]
    assert "period_month" in marts["preview"].value
    assert (
        materialized["raw/trade_flows"]["dagster/row_count"].value
        == query(built, "SELECT count(*) FROM raw.trade_flows")[0][0]
    )
    assert "tables" in materialized["warehouse/published"]
    # this run's landing cost, plotted over runs in the UI: every file of the first build was read
    cost = materialized["raw/trade_flows"]
    assert cost["cost/rows_read"].value >= cost["cost/rows_kept"].value > 0
    assert cost["cost/bytes_read"].value > 0 and cost["cost/files_read"].value > 0
    assert cost["cost/seconds"].value > 0 and cost["cost/peak_memory_mib"].value > 0


def test_audit_tables_and_lineage(built):
    tables = sorted(table for _, source in raw_sources() for table in source.suites)  # every domain of the registry
    suites = query(built, "SELECT suite, bool_and(success) FROM audit.validation_results GROUP BY 1 ORDER BY 1")
    assert suites == [(f"raw_{t}_suite", True) for t in tables]
    files = {r[0] for r in query(built, "SELECT file FROM audit.load_log WHERE status = 'loaded'")}
    assert files == {f"{p.parent.name}/{p.name}" for p in (built / "raw").glob("*/*")}
    for table in tables:
        assert query(built, f"SELECT count(*), count(_source_sha256) FROM raw.{table}")[0][0] > 0
        assert query(built, f"SELECT count(*) FROM raw.{table} WHERE _source_sha256 IS NULL") == [(0,)]


def test_rebuild_is_idempotent(built):
    """A forced rebuild (every suite, model and test runs again, and publishes) gives identical marts,
    and the published file keeps its size: the build copy's free blocks are not published."""
    marts = [
        r[0] for r in query(built, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1")
    ]
    assert len(marts) >= 14
    before = {m: query(built, f"SELECT * FROM marts.{m} ORDER BY ALL") for m in marts}
    published = built / "warehouse" / "kzeu.duckdb"
    size, digest = published.stat().st_size, hashlib.sha256(published.read_bytes()).hexdigest()
    result = rebuild(built, force=True)
    assert result.success
    assert {f"marts/{m}" for m in marts} <= materialized(result)  # rebuilt, not skipped
    assert hashlib.sha256(published.read_bytes()).hexdigest() != digest  # and published again
    assert {m: query(built, f"SELECT * FROM marts.{m} ORDER BY ALL") for m in marts} == before
    assert published.stat().st_size <= size * 1.05  # compacted: was +50% a build before the compacting publish
    statuses = query(
        built,
        "SELECT DISTINCT status FROM audit.load_log WHERE loaded_at = (SELECT max(loaded_at) FROM audit.load_log)",
    )
    assert statuses == [("unchanged",)]


def test_bad_file_fails_the_build_and_leaves_the_published_warehouse(built):
    published = built / "warehouse" / "kzeu.duckdb"
    digest = hashlib.sha256(published.read_bytes()).hexdigest()
    bad = write(
        built / "raw" / "trade" / "generated_bad_unknown_partner.csv",
        relational(["Austria,Narnia,Total,EXPORT,Total,Jan.-Dec. 2018,5"]),
    )
    try:
        result = rebuild(built)
    finally:
        bad.unlink()
    assert not result.success
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "Narnia" in str(failures[0].event_specific_data.error)
    assert hashlib.sha256(published.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize(
    "domain, name, data, words",
    [
        ("gdelt", "generated_bad_mentions_batch.CSV.zip", "mentions", "mentions"),
        ("energy", "generated_bad_truncated_register.csv.gz", "truncated", "end of gzip stream"),
    ],
)
def test_a_bad_file_of_a_new_domain_leaves_the_published_warehouse(built, domain, name, data, words):
    from fixtures_gdelt import GDELT2_MENTIONS_ROW, gdelt_text, zipped

    published = built / "warehouse" / "kzeu.duckdb"
    digest = hashlib.sha256(published.read_bytes()).hexdigest()
    if data == "mentions":  # a real mentions row: the wrong GDELT table in raw/gdelt
        content = zipped(gdelt_text([GDELT2_MENTIONS_ROW]))
    else:  # the first 4 KiB of the real register, gzip cut short
        content = (
            REPO / "raw" / "energy" / "dg_ener_crude_oil_import_register_EU28_monthly_2013-2019.csv.gz"
        ).read_bytes()[:4096]
    bad = built / "raw" / domain / name
    bad.write_bytes(content)
    try:
        result = rebuild(built)
    finally:
        bad.unlink()
    assert not result.success
    failure = str(next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE").event_specific_data.error)
    assert name in failure and words in failure.lower()
    assert hashlib.sha256(published.read_bytes()).hexdigest() == digest


def test_incremental_trade_roll_up_equals_a_full_recompute(built):
    """int_trade_flows_aggregated is incremental by file: after a file leaves raw/ and comes back,
    it holds exactly what a full recompute from the staged rows gives."""
    recompute = """
        WITH rolled AS (
            SELECT source_file, hs_chapter_code AS product_code, value_eur FROM staging.stg_trade__flows
            WHERE product_level = 'CN8' AND hs_chapter_code IS NOT NULL
            UNION ALL SELECT source_file, 'TOTAL', value_eur FROM staging.stg_trade__flows WHERE product_level = 'CN8'
            UNION ALL SELECT source_file, product_code, value_eur FROM staging.stg_trade__flows
                WHERE product_level IN ('TOTAL', 'HS2')
        )
        SELECT source_file, product_code, count(*), sum(value_eur) FROM rolled GROUP BY ALL ORDER BY ALL"""
    stored = """SELECT source_file, product_code, sum(source_rows), sum(value_eur)
        FROM intermediate.int_trade_flows_aggregated GROUP BY ALL ORDER BY ALL"""
    # not the exports since 2019, which the event study's EPCA-2020 window needs (the build would fail)
    path = next((built / "raw" / "trade").glob("comext_ds045409_7partners_*"))
    parked = built / path.name
    path.rename(parked)
    try:
        assert rebuild(built).success
        files = {r[0] for r in query(built, "SELECT DISTINCT source_file FROM intermediate.int_trade_flows_aggregated")}
        assert f"trade/{path.name}" not in files and files
    finally:
        parked.rename(path)
    assert rebuild(built).success
    assert f"trade/{path.name}" in {
        r[0] for r in query(built, "SELECT DISTINCT source_file FROM intermediate.int_trade_flows_aggregated")
    }
    assert query(built, stored) == query(built, recompute)


def test_a_rebuild_of_unchanged_files_skips_validation_dbt_and_publish(built):
    """Nothing upstream changed: every suite passes on its last run's verdict, dbt builds nothing, the
    publish step does not run, and the published file is byte for byte the one before."""
    published = built / "warehouse" / "kzeu.duckdb"
    assert rebuild(built).success  # whatever an earlier test left: now the published state is current
    digest = hashlib.sha256(published.read_bytes()).hexdigest()
    result = rebuild(built)
    assert result.success
    assert not {key for key in materialized(result) if key.startswith(("marts/", "staging/", "warehouse/"))}
    checks = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.check_name.endswith("_suite")
    ]
    assert checks and all(c.passed and c.metadata["skipped_unchanged"].value for c in checks)
    assert hashlib.sha256(published.read_bytes()).hexdigest() == digest


def test_a_new_code_version_rebuilds_and_publishes(built, monkeypatch):
    """A changed model, seed, macro or Python module is a new code version (tests/unit/test_build_state.py):
    every suite and model runs again and the result is published, with the same marts."""
    from pipelines.assets import dbt as dbt_assets
    from pipelines.assets import raw_checks

    assert rebuild(built).success
    published = built / "warehouse" / "kzeu.duckdb"
    digest = hashlib.sha256(published.read_bytes()).hexdigest()
    marts_before = query(built, "SELECT * FROM marts.fct_trade_monthly ORDER BY ALL")
    for module in (dbt_assets, raw_checks):
        monkeypatch.setattr(module, "code_version", lambda settings: "a new code version")
    result = rebuild(built)
    assert result.success
    assert {"marts/fct_trade_monthly", "warehouse/published"} <= materialized(result)
    suites = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.check_name.endswith("_suite")
    ]
    assert suites and not any("skipped_unchanged" in c.metadata for c in suites)
    assert hashlib.sha256(published.read_bytes()).hexdigest() != digest
    assert query(built, "SELECT * FROM marts.fct_trade_monthly ORDER BY ALL") == marts_before


def test_a_new_month_rebuilds_what_is_downstream_and_gives_the_marts_of_a_full_build(built):
    """A trade file comes (back): its suite's verdict on that file stands, dbt builds what is downstream
    of raw.trade_flows (the other models reported unchanged), the publish runs, and every mart equals
    what a forced full build gives."""
    # whatever an earlier test left (test_a_new_code_version_rebuilds_and_publishes records every file's
    # verdict under another code version): now every file has passed under this code
    assert rebuild(built).success
    path = next((built / "raw" / "trade").glob("comext_ds045409_7partners_*"))
    parked = built / path.name
    path.rename(parked)
    try:
        assert rebuild(built).success
    finally:
        parked.rename(path)
    result = rebuild(built)
    assert result.success
    events = [e for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"]
    unchanged = {
        e.event_specific_data.materialization.asset_key.to_user_string()
        for e in events
        if "kzeu/unchanged" in e.event_specific_data.materialization.metadata
    }
    rebuilt = materialized(result) - unchanged
    assert {"marts/fct_trade_monthly", "marts/fct_relationship_annual", "warehouse/published"} <= rebuilt
    assert {"marts/fct_energy_supplier_share_annual", "marts/fct_fdi_kz_annual"} <= unchanged
    trade_suite = next(
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and e.event_specific_data.check_name == "raw_trade_flows_suite"
    )
    # the file comes back as it was, passed today under this code: no file is validated again
    # (a file never seen is validated alone: tests/unit/test_trade_suite.py)
    assert trade_suite.passed and trade_suite.metadata["skipped_unchanged"].value
    marts = [r[0] for r in query(built, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'")]
    incremental = {m: query(built, f"SELECT * FROM marts.{m} ORDER BY ALL") for m in marts}
    assert rebuild(built, force=True).success
    assert {m: query(built, f"SELECT * FROM marts.{m} ORDER BY ALL") for m in marts} == incremental
