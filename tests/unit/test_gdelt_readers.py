"""GDELT 1.0 and 2.0 event exports: Kazakhstan's events kept, codes as written, totals over the whole file."""

from __future__ import annotations

import tempfile
from datetime import date, datetime

import pycountry
import pytest

from fixtures_gdelt import (
    GDELT1_BACKFILE_57,
    GDELT1_EU_INSTITUTION,
    GDELT1_EUROPE_REGION,
    GDELT1_KAZ,
    GDELT1_OTHER,
    GDELT1_ROWS,
    GDELT2_ACTOR_GEO_ONLY,
    GDELT2_KAZ_MILITARY,
    GDELT2_ROWS,
    GDELT2_SAMPLE_HEADER,
    event_id,
    gdelt_text,
    with_fields,
    write_gdelt,
)
from pipelines.core.sql import quoted
from pipelines.domains.diplomacy.actors import eu_member_cameo_codes
from pipelines.domains.diplomacy.gdelt_codebook import GDELT1, GDELT1_FIELDS, GDELT2
from pipelines.domains.diplomacy.readers.gdelt_export import _field_checks, first_bad_check_sql, read_gdelt_file
from pipelines.settings import DBT_PROJECT_DIR

PACKINGS = ("plain", "gzip", "zip")


def as_dicts(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read(con, path):
    """What the loader lands from one file: (result, event rows, total rows)."""
    result = read_gdelt_file(con, path)
    return result, as_dicts(con, result.select), as_dicts(con, result.companions["gdelt_actor_totals"])


def totals_by_day(totals: list[dict]) -> dict[tuple[str, str], int]:
    return {(t["event_date"].isoformat(), t["actor_side"]): t["events"] for t in totals}


@pytest.mark.parametrize("packing", PACKINGS)
def test_gdelt1_daily_export_keeps_the_kazakh_event_with_every_field(con, tmp_path, packing):
    path = write_gdelt(tmp_path / "20160728.export.CSV", gdelt_text(GDELT1_ROWS), packing)
    result, events, _ = read(con, path)
    assert result.rows_read == len(GDELT1_ROWS) == 7
    assert events == [
        {
            "source_format": "gdelt1_daily",
            "global_event_id": 564137808,
            "event_date": date(2016, 7, 28),
            "date_added": datetime(2016, 7, 28),
            "actor1_code": "KAZ",
            "actor1_name": "KAZAKHSTAN",
            "actor1_country_code": "KAZ",
            "actor1_known_group_code": None,
            "actor1_type1_code": None,
            "actor2_code": "BUS",
            "actor2_name": "INDUSTRY",
            "actor2_country_code": None,
            "actor2_known_group_code": None,
            "actor2_type1_code": "BUS",
            "actor1_is_kz": True,
            "actor2_is_kz": False,
            "actor1_is_eu": False,
            "actor2_is_eu": False,
            "is_root_event": True,
            "event_code": "043",
            "event_base_code": "043",
            "event_root_code": "04",
            "quad_class": 1,
            "goldstein_scale": 2.8,
            "num_mentions": 6,
            "num_sources": 1,
            "num_articles": 6,
            "avg_tone": 2.96296296296296,
            "actor1_geo_country_fips": "KZ",
            "actor2_geo_country_fips": "KZ",
            "action_geo_country_fips": "KZ",
            "action_geo_full_name": "Pavlodar, Pavlodar, Kazakhstan",
            "action_geo_lat": 52.274,
            "action_geo_long": 77.0044,
            "source_url": "http://kazakh-tv.kz/en/view/business/page_167687_inostrannye-investory-proyavlyayut-osobyi-interes-k-obra",
            "source_line": 4,
        }
    ]


@pytest.mark.parametrize("packing", PACKINGS)
def test_gdelt2_export_keeps_kazakh_actors_not_an_actor_merely_located_in_kazakhstan(con, tmp_path, packing):
    path = write_gdelt(tmp_path / "20201115081500.export.CSV", gdelt_text(GDELT2_ROWS), packing)
    result, events, totals = read(con, path)
    assert result.rows_read == 6
    # Japan and NASA with NASA geo-located in Kazakhstan: neither actor nor action is Kazakh
    assert event_id(GDELT2_ACTOR_GEO_ONLY) not in [e["global_event_id"] for e in events]
    assert [
        (e["global_event_id"], e["event_code"], e["event_base_code"], e["event_root_code"], e["source_line"])
        for e in events
    ] == [(954726756, "072", "072", "07", 2), (954740637, "010", "010", "01", 3), (954740640, "1711", "171", "17", 4)]
    military = events[0]
    assert (military["actor2_code"], military["actor2_country_code"], military["actor2_type1_code"]) == (
        "KAZMIL",
        "KAZ",
        "MIL",
    )
    assert military["date_added"] == datetime(2020, 11, 14, 13, 45)
    assert (military["action_geo_country_fips"], military["action_geo_lat"], military["action_geo_long"]) == (
        "KZ",
        48.0,
        68.0,
    )
    assert {e["source_format"] for e in events} == {"gdelt2_export"}
    assert events[2]["goldstein_scale"] == -9.2 and events[2]["quad_class"] == 4
    # 2017-07-04 / 2016-07-01 rows of the 2017 sample and the four 2020-11-15 rows
    assert sum(t["events"] for t in totals if t["actor_side"] == "ALL") == 6


def test_action_located_in_kazakhstan_is_kept_without_a_kazakh_actor(con, tmp_path):
    # generated: the United States row with its action moved to Kazakhstan
    located = with_fields(GDELT1_OTHER, ActionGeo_CountryCode="KZ", ActionGeo_FullName="Kazakhstan")
    path = write_gdelt(tmp_path / "located.CSV", gdelt_text([located, GDELT1_EUROPE_REGION]))
    _, events, totals = read(con, path)
    assert [(e["global_event_id"], e["actor1_country_code"], e["action_geo_country_fips"]) for e in events] == [
        (564111644, "USA", "KZ")
    ]
    assert totals_by_day(totals)[("2006-07-31", "KZ")] == 0  # a place is not an actor


def test_kazakh_actor_code_alone_is_enough(con, tmp_path):
    # generated: the Kazakh military row without its country field, acting in Russia
    row = with_fields(GDELT2_KAZ_MILITARY, Actor2CountryCode="", ActionGeo_CountryCode="RS")
    _, events, totals = read(con, write_gdelt(tmp_path / "code.CSV", gdelt_text([row])))
    assert [(e["actor2_code"], e["actor2_country_code"]) for e in events] == [("KAZMIL", None)]
    assert totals_by_day(totals)[("2020-11-14", "KZ")] == 1


def test_totals_count_every_event_per_day_with_kazakh_and_eu_sides(con, tmp_path):
    _, _, totals = read(con, write_gdelt(tmp_path / "totals.CSV", gdelt_text(GDELT1_ROWS)))
    # ALL every event; KZ the Kazakh actor; EU the EU itself (EEC) and member states (GRC, POL),
    # not 'EUROPEAN' (EUR, the region). Days in order, each with all three sides.
    assert [(t["event_date"].isoformat(), t["actor_side"], t["events"]) for t in totals] == [
        ("1982-01-02", "ALL", 2),
        ("1982-01-02", "KZ", 0),
        ("1982-01-02", "EU", 1),
        ("2006-07-31", "ALL", 1),
        ("2006-07-31", "KZ", 0),
        ("2006-07-31", "EU", 0),
        ("2016-07-28", "ALL", 4),
        ("2016-07-28", "KZ", 1),
        ("2016-07-28", "EU", 2),
    ]
    assert {t["source_format"] for t in totals} == {"gdelt1_daily"}
    assert {t["source_line"] for t in totals} == {None}


def test_eu_institution_recognised_by_its_code_alone(con, tmp_path):
    # generated: the EU row without its known-group field; IGOEUREEC still names the EU
    row = with_fields(GDELT1_EU_INSTITUTION, Actor1KnownGroupCode="")
    _, _, totals = read(con, write_gdelt(tmp_path / "eu.CSV", gdelt_text([row, GDELT1_EUROPE_REGION])))
    assert totals_by_day(totals)[("2016-07-28", "EU")] == 1


def test_eu_member_codes_come_from_the_seed():
    import csv

    with open(DBT_PROJECT_DIR / "seeds" / "eu27_member_states.csv", newline="", encoding="utf-8") as handle:
        iso3 = {pycountry.countries.get(alpha_2=row["iso2_code"]).alpha_3 for row in csv.DictReader(handle)}
    assert len(iso3) == 27 and {"DEU", "GRC", "POL", "ROU"} <= iso3
    assert set(eu_member_cameo_codes()) == iso3 | {"ROM"}  # CAMEO's code for Romania


def test_cameo_codes_stay_as_written(con, tmp_path):
    # generated: a base code without its leading zero, as some re-saved files show: kept, not "fixed"
    row = with_fields(GDELT1_KAZ, EventBaseCode="43")
    _, events, _ = read(con, write_gdelt(tmp_path / "codes.CSV", gdelt_text([row])))
    assert (events[0]["event_code"], events[0]["event_base_code"], events[0]["event_root_code"]) == ("043", "43", "04")


def test_57_and_58_field_rows_in_one_file(con, tmp_path):
    # generated: the 1982 backfile row (57 fields, no SOURCEURL) with its action moved to Kazakhstan
    located = with_fields(GDELT1_BACKFILE_57, ActionGeo_CountryCode="KZ")
    path = write_gdelt(tmp_path / "mixed.CSV", gdelt_text([GDELT1_KAZ, located]), "zip")
    result, events, _ = read(con, path)
    assert result.rows_read == 2
    assert [(e["global_event_id"], e["source_url"] is None, e["date_added"]) for e in events] == [
        (564137808, False, datetime(2016, 7, 28)),
        (1552829, True, datetime(2013, 2, 3)),
    ]
    assert events[1]["goldstein_scale"] == 4.0  # written "4" in the backfile


@pytest.mark.parametrize("packing", PACKINGS)
def test_header_row_tolerated(con, tmp_path, packing):
    path = write_gdelt(tmp_path / "with_header.tsv", gdelt_text(GDELT2_ROWS, header=GDELT2_SAMPLE_HEADER), packing)
    result, events, totals = read(con, path)
    assert result.rows_read == 6
    assert [e["source_line"] for e in events] == [3, 4, 5]  # the header is line 1
    assert sum(t["events"] for t in totals if t["actor_side"] == "ALL") == 6


def test_gdelt1_header_row_tolerated(con, tmp_path):
    _, events, _ = read(con, write_gdelt(tmp_path / "h.tsv", gdelt_text([GDELT1_KAZ], header="\t".join(GDELT1_FIELDS))))
    assert [(e["global_event_id"], e["source_line"]) for e in events] == [(564137808, 2)]


def test_a_file_without_kazakh_events_still_gives_its_totals(con, tmp_path):
    result, events, totals = read(con, write_gdelt(tmp_path / "none.CSV", gdelt_text([GDELT1_OTHER])))
    assert (result.rows_read, events) == (1, [])
    assert totals_by_day(totals) == {("2006-07-31", "ALL"): 1, ("2006-07-31", "KZ"): 0, ("2006-07-31", "EU"): 0}


def test_zip_member_is_streamed_without_a_temporary_file(con, tmp_path, monkeypatch):
    """The member is decompressed into a pipe that DuckDB's scan reads: nothing is written to disk."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result, events, _ = read(con, write_gdelt(tmp_path / "x.CSV.zip", gdelt_text(GDELT1_ROWS), "zip"))
    assert list(scratch.iterdir()) == []  # gone, and the SELECTs still read (temporary tables only)
    assert len(events) == 1 and con.execute(result.select).fetchall()


def test_eu_rule_is_one_definition_for_numerator_and_denominator(con, tmp_path):
    """The per-day EU totals (denominators) and the landed actor flags that dbt's dyads count
    (numerators) come from one rule: an EU actor known only by its code, or a member state known
    only by the country leading its role code, is EU in both."""
    # generated: the Kazakh row facing the EU written IGOEUREEC without its known-group field, and
    # facing the German government written DEUGOV without its country field
    eu_by_code = with_fields(
        GDELT1_KAZ, GLOBALEVENTID="900000001", Actor2Code="IGOEUREEC", Actor2CountryCode="", Actor2KnownGroupCode=""
    )
    member_by_role = with_fields(
        GDELT1_KAZ, GLOBALEVENTID="900000002", Actor2Code="DEUGOV", Actor2CountryCode="", Actor2KnownGroupCode=""
    )
    _, events, totals = read(con, write_gdelt(tmp_path / "eu_rule.CSV", gdelt_text([eu_by_code, member_by_role])))
    assert [(e["actor2_code"], e["actor1_is_kz"], e["actor2_is_eu"]) for e in events] == [
        ("IGOEUREEC", True, True),
        ("DEUGOV", True, True),
    ]
    with_eu_actor = sum(e["actor1_is_eu"] or e["actor2_is_eu"] for e in events)
    assert totals_by_day(totals)[("2016-07-28", "EU")] == with_eu_actor == 2


@pytest.mark.parametrize("layout", [GDELT1, GDELT2], ids=["1.0", "2.0"])
def test_one_regex_verdict_equals_the_checks_one_by_one(con, layout):
    """The scan decides most lines by one joined regular expression and runs the checks one by one
    only where it fails: both must find the same first bad field on any line."""
    checks = _field_checks(layout)
    odd = ["", "-", "1", "-1", "+1", " 1", "1 ", "1.", "1.5", ".5", "1e5", "1.5E-3", "1e", "x", "0001", "1" * 19]
    dates = ["20160728", "20161328", "2016072", "201607281", "", "20160728000000", "20201115081500", "20201115"]
    rows = []
    for n, check in enumerate(checks):
        for value in dates if check.date_format else odd:
            row = {
                c.field: ("1" if not c.date_format else ("20160728" if c.field == "SQLDATE" else "")) for c in checks
            }
            row["DATEADDED"] = "20160728" if layout == GDELT1 else "20201115081500"
            row[check.field] = value
            rows.append((n, row))
    fields = [c.field for c in checks]
    values = ", ".join(f"({', '.join(repr(r[f]) for f in fields)})" for _, r in rows)
    table = f"(VALUES {values}) AS t({', '.join(quoted(f) for f in fields)})"
    one_by_one = "CASE " + " ".join(f"WHEN {c.bad_sql()} THEN {i}" for i, c in enumerate(checks)) + " END"
    got = con.execute(f"SELECT {first_bad_check_sql(layout)}, {one_by_one} FROM {table}").fetchall()
    assert [fast for fast, _ in got] == [slow for _, slow in got]
    assert any(fast is None for fast, _ in got) and any(fast is not None for fast, _ in got)


# Values the checks refuse that DuckDB's CSV reader, given typed columns, reads as numbers and dates.
TYPED_COLUMNS_ACCEPT = {
    "BIGINT": ["+1", " 1", "1 ", "1_000", "1.5", "1e2", "0x10", "-1"],
    "INTEGER": ["+1", " 1", "1_000", "1.5", "1e2", "0x10", "0b11"],
    "DOUBLE": ["+1", " 1", ".5", "1_0", "inf", "nan", "Infinity"],
}


@pytest.mark.parametrize("kind", TYPED_COLUMNS_ACCEPT)
def test_typed_csv_columns_would_accept_what_the_checks_refuse(con, tmp_path, kind):
    """Why the scan reads the checked fields as text: typed `columns` in read_csv (a fast path that
    would skip the regular expressions) accept, without a reject, values the checks refuse, so a
    file's verdict would change. If DuckDB ever refuses them all, that fast path becomes possible."""
    field = {"BIGINT": "GLOBALEVENTID", "INTEGER": "NumMentions", "DOUBLE": "AvgTone"}[kind]
    check = next(c for c in _field_checks(GDELT1) if c.field == field)
    values = TYPED_COLUMNS_ACCEPT[kind]
    refused = con.execute(
        f"SELECT list(v ORDER BY n) FROM (VALUES {', '.join(f'({n}, {v!r})' for n, v in enumerate(values))}) "
        f"AS t(n, v) WHERE {check.bad_sql().replace(quoted(field), 'v')}"
    ).fetchall()[0][0]
    assert refused == values  # every one of them fails the check ...
    path = tmp_path / "typed.tsv"
    path.write_text("".join(f"{v}\t20160728\n" for v in values))
    read_back = con.execute(
        f"SELECT count(*), count(v) FROM read_csv('{path}', delim = '\t', quote = '', escape = '', header = false, "
        f"auto_detect = false, columns = {{'v': '{kind}', 'd': 'DATE'}}, dateformat = '%Y%m%d', store_rejects = true)"
    ).fetchall()[0]
    rejects = con.execute("SELECT count(*) FROM reject_errors").fetchall()[0][0]
    assert read_back == (len(values), len(values)) and rejects == 0  # ... and none is rejected


def _land_days(con, folder) -> tuple[list, list, list]:
    from pipelines.core.landing import land_folder
    from pipelines.domains.diplomacy.schema import GDELT

    loads = land_folder(con, folder.parent, "gdelt", GDELT, read_gdelt_file)
    events = con.execute("SELECT * EXCLUDE (_loaded_at) FROM raw.gdelt_events ORDER BY ALL").fetchall()
    totals = con.execute("SELECT * EXCLUDE (_loaded_at) FROM raw.gdelt_actor_totals ORDER BY ALL").fetchall()
    return [(load.file, load.status, load.rows_read, load.rows_kept) for load in loads], events, totals


def _days(folder, count: int) -> None:
    folder.mkdir(parents=True)
    for day in range(count):
        rows = [with_fields(row, GLOBALEVENTID=str(700000000 + day * 100 + i)) for i, row in enumerate(GDELT1_ROWS)]
        write_gdelt(folder / f"201607{day + 1:02d}.export.CSV", gdelt_text(rows), "plain")


def test_several_daily_files_in_one_scan_land_as_each_on_its_own(tmp_path, monkeypatch):
    """Plain daily files are scanned several at a time: the same rows, lines and totals as one by one."""
    import duckdb

    import pipelines.domains.diplomacy.readers.gdelt_export as gdelt

    _days(tmp_path / "raw" / "gdelt", 5)
    batched = _land_days(duckdb.connect(), tmp_path / "raw" / "gdelt")
    monkeypatch.setattr(gdelt, "BATCH_BYTES", 0)  # every file on its own
    single = _land_days(duckdb.connect(), tmp_path / "raw" / "gdelt")
    assert batched == single and len(batched[0]) == 5 and batched[1] and batched[2]


BATCH_DAMAGE = {
    "bad date": (lambda line: line.replace(line.split("\t")[1], "20161328", 1), (5, "SQLDATE")),
    "too many fields": (lambda line: line + "\textra", (5, "SOURCEURL")),
    "not UTF-8": (lambda line: line.replace("\t", "\t\udcc9", 1), (5, None)),
    "blank line": (lambda line: "\n" + line, (5, None)),
    "too few fields": (lambda line: "\t".join(line.split("\t")[:50]), (5, GDELT1_FIELDS[50])),
}


@pytest.mark.parametrize("damage", BATCH_DAMAGE, ids=list(BATCH_DAMAGE))
def test_a_bad_file_in_a_batch_is_reported_as_on_its_own(con, tmp_path, damage):
    """The batch serves only files that pass; a bad one is read again alone, naming its row and column."""
    from pipelines.core.errors import RawFileError

    change, (row, column) = BATCH_DAMAGE[damage]
    folder = tmp_path / "raw" / "gdelt"
    _days(folder, 4)
    lines = (folder / "20160703.export.CSV").read_text().splitlines()
    lines[4] = change(lines[4])
    (folder / "20160703.export.CSV").write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogateescape"))
    with pytest.raises(RawFileError) as caught:
        _land_days(con, folder)
    assert (caught.value.row, caught.value.column) == (row, column), str(caught.value)
    assert "20160703" in caught.value.file
