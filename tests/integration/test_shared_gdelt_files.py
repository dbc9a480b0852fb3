"""The GDELT reader against the real shared sample (skipped where absent) and the embedded snapshot."""

from __future__ import annotations

import csv
import importlib.util
import zipfile
from collections import Counter

import pytest

from conftest import REPO, shared_file
from pipelines.core.landing import land_folder
from pipelines.domains.diplomacy.gdelt_codebook import GDELT1_FIELDS
from pipelines.domains.diplomacy.readers.gdelt_export import read_gdelt_file
from pipelines.domains.diplomacy.schema import GDELT

# Written out here, not derived as the reader derives them: an independent check of the EU side.
EU27_CAMEO = {
    "AUT",
    "BEL",
    "BGR",
    "HRV",
    "CYP",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "IRL",
    "ITA",
    "LVA",
    "LTU",
    "LUX",
    "MLT",
    "NLD",
    "POL",
    "PRT",
    "ROU",
    "ROM",
    "SVK",
    "SVN",
    "ESP",
    "SWE",
}

# The 27 GDELT 2.0 rows of the snapshot (GLOBALEVENTID, file order), and the 5 of them whose only
# link to Kazakhstan is an actor's geography: kept in the files, not in raw.gdelt_events.
SNAPSHOT_GDELT2_IDS = [
    954715134,
    954715135,
    954715550,
    954715551,
    954726756,
    954734785,
    954734786,
    954734787,
    954734789,
    954734804,
    954735435,
    954735436,
    954735437,
    954735446,
    954735787,
    954740272,
    954740637,
    954740638,
    954740639,
    954740640,
    954740641,
    954740642,
    954743061,
    954753607,
    954753608,
    954753830,
    954753831,
]
ACTOR_GEO_ONLY_IDS = [954734789, 954734804, 954735446, 954735787, 954743061]


def as_dicts(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def gdelt1_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            dict(zip(GDELT1_FIELDS, line, strict=False))
            for line in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def is_kazakh(row: dict) -> bool:
    return any(row[f"Actor{n}CountryCode"] == "KAZ" or row[f"Actor{n}Code"].startswith("KAZ") for n in (1, 2))


def is_eu(row: dict) -> bool:
    return any(
        row[f"Actor{n}KnownGroupCode"] == "EEC"
        or row[f"Actor{n}CountryCode"] in EU27_CAMEO
        or row[f"Actor{n}Code"][:3] in EU27_CAMEO
        for n in (1, 2)
    )


@pytest.mark.shared_data
def test_real_gdelt1_sample_keeps_exactly_the_kazakh_rows(con):
    path = shared_file("gdelt", "gdelt1_daily_export_20160728_sample.tsv")
    rows = gdelt1_rows(path)
    result = read_gdelt_file(con, path)
    events = as_dicts(con, result.select)
    assert result.rows_read == len(rows) == 710
    # the README: one row has Actor1CountryCode KAZ; it is also the one event located in Kazakhstan
    assert [r["GLOBALEVENTID"] for r in rows if r["Actor1CountryCode"] == "KAZ"] == ["564137808"]
    located = [r["GLOBALEVENTID"] for r in rows if r["ActionGeo_CountryCode"] == "KZ"]
    expected = [int(r["GLOBALEVENTID"]) for r in rows if is_kazakh(r) or r["ActionGeo_CountryCode"] == "KZ"]
    assert located == ["564137808"] and expected == [564137808]
    assert [(e["global_event_id"], e["source_line"], e["event_code"], e["event_root_code"]) for e in events] == [
        (564137808, 96, "043", "04")
    ]


@pytest.mark.shared_data
def test_real_gdelt1_sample_totals_over_the_whole_file(con):
    path = shared_file("gdelt", "gdelt1_daily_export_20160728_sample.tsv")
    rows = gdelt1_rows(path)
    totals = as_dicts(con, read_gdelt_file(con, path).companions["gdelt_actor_totals"])
    found = {(t["event_date"].strftime("%Y%m%d"), t["actor_side"]): t["events"] for t in totals}
    expected = Counter()
    for row in rows:
        day = row["SQLDATE"]
        expected[(day, "ALL")] += 1
        expected[(day, "KZ")] += is_kazakh(row)
        expected[(day, "EU")] += is_eu(row)
    assert found == dict(expected)
    assert sum(n for (_, side), n in found.items() if side == "ALL") == 710
    assert found[("20160728", "ALL")] == 493 and found[("20160728", "KZ")] == 1
    assert found[("20160728", "EU")] == 49  # including the EU itself (IGOEUREEC), not 'EUROPEAN' (EUR)


@pytest.mark.shared_data
def test_snapshot_gdelt1_file_is_the_shared_sample_byte_for_byte():
    shared = shared_file("gdelt", "gdelt1_daily_export_20160728_sample.tsv").read_bytes()
    with zipfile.ZipFile(REPO / "raw" / "gdelt" / "20160728.export.sample.CSV.zip") as archive:
        (member,) = archive.infolist()
        assert archive.read(member) == shared


def test_snapshot_lands_its_27_gdelt2_rows_and_keeps_the_kazakh_ones(con):
    loads = land_folder(con, REPO / "raw", "gdelt", GDELT, read_gdelt_file)
    assert {load.status for load in loads} == {"loaded"} and len(loads) == 7
    gdelt2 = [load for load in loads if load.source_format == "gdelt2_export"]
    assert len(gdelt2) == 6 and sum(load.rows_read for load in gdelt2) == 27
    ids_in_files = []
    for path in sorted((REPO / "raw" / "gdelt").glob("*.export.KAZ_rows.CSV.zip")):
        with zipfile.ZipFile(path) as archive:
            text = archive.read(archive.infolist()[0]).decode("utf-8")
        assert {line.count("\t") for line in text.splitlines()} == {60}  # 61 fields, no header
        ids_in_files += [int(line.split("\t", 1)[0]) for line in text.splitlines()]
    assert ids_in_files == SNAPSHOT_GDELT2_IDS
    kept = [
        r[0]
        for r in con.execute(
            "SELECT global_event_id FROM raw.gdelt_events WHERE source_format = 'gdelt2_export' ORDER BY 1"
        ).fetchall()
    ]
    assert kept == [i for i in SNAPSHOT_GDELT2_IDS if i not in ACTOR_GEO_ONLY_IDS] and len(kept) == 22
    assert con.execute(
        "SELECT actor_side, sum(events) FROM raw.gdelt_actor_totals WHERE source_format = 'gdelt2_export' "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall() == [("ALL", 27), ("EU", 0), ("KZ", 22)]
    # CAMEO codes with their zeros restored by the derivation, every one a CAMEO code
    codes = con.execute(
        "SELECT DISTINCT event_root_code, event_base_code, event_code FROM raw.gdelt_events ORDER BY 3"
    ).fetchall()
    assert codes == [
        ("01", "010", "010"),
        ("04", "042", "042"),
        ("04", "043", "043"),
        ("06", "062", "062"),
        ("07", "072", "072"),
        ("17", "171", "1711"),
    ]


@pytest.mark.shared_data
def test_snapshot_ids_and_seeds_follow_from_the_shared_sources(tmp_path):
    shared = shared_file("gdelt", "gdelt2_events_KAZ_rows_20201114-15_via_pandas.csv")
    with open(shared, newline="", encoding="utf-8") as handle:
        assert [int(row["Global_Event_ID"]) for row in csv.DictReader(handle)] == SNAPSHOT_GDELT2_IDS
    spec = importlib.util.spec_from_file_location("derive_gdelt_snapshot", REPO / "raw" / "derive_gdelt_snapshot.py")
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    for write, seed in (
        (derive.write_fips_seed, "fips_country_codes.csv"),
        (derive.write_cameo_seed, "cameo_event_codes.csv"),
    ):
        write(shared.parent, out=tmp_path / seed)
        assert (tmp_path / seed).read_bytes() == (REPO / "dbt_project" / "seeds" / seed).read_bytes(), (
            f"{seed} is stale"
        )
