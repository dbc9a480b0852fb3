"""Derive the embedded GDELT snapshot in raw/gdelt/ and the GDELT code seeds of the dbt project.

Why this exists: the default build and CI work offline, so the repository carries a few REAL
GDELT event rows in the format GDELT serves them (tab-separated exports, zipped one file per
archive), and the code lists the dbt models join to. Sources are the shared reference extracts
(../shared/data/gdelt/, see its README); provenance is documented in raw/SOURCES.md.

Writes:
- raw/gdelt/20160728.export.sample.CSV.zip: the GDELT 1.0 daily sample, byte for byte.
- raw/gdelt/<DATEADDED>.export.KAZ_rows.CSV.zip: the 27 GDELT 2.0 rows re-serialised from a
  pandas CSV into GDELT 2.0's export format, one archive per 15-minute batch (DATEADDED).
- dbt_project/seeds/fips_country_codes.csv, dbt_project/seeds/cameo_event_codes.csv.
Every step checks what it wrote and stops with "VERIFY FAILED" on any difference.

Usage: python raw/derive_gdelt_snapshot.py [--shared PATH]   (stdlib + duckdb only)
Output is deterministic: source row order, LF line endings, zip entries dated 1980-01-01.
"""

import argparse
import csv
import json
import os
import re
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "raw" / "gdelt"
SEEDS = REPO / "dbt_project" / "seeds"

GDELT1_SAMPLE = "gdelt1_daily_export_20160728_sample.tsv"
GDELT1_OUT = "20160728.export.sample.CSV"
GDELT2_PANDAS = "gdelt2_events_KAZ_rows_20201114-15_via_pandas.csv"
GDELT2_OUT = "{batch}.export.KAZ_rows.CSV"  # GDELT's name is {batch}.export.CSV: these are excerpts
FIELD_DICTIONARY = "gdelt2_events_field_dictionary.csv"
CAMEO_TSV = "cameo_event_codes_goldstein.tsv"
FIPS_JSON = "fips104_to_iso_countries.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the zip epoch: no invented timestamp

# The pandas file's header, position by position (index column first, Confidence last). Its
# names are misleading: they are checked here so that a changed file stops the script, and the
# columns are mapped BY POSITION onto the official field list (PANDAS_HEADER[i + 1] -> field i).
PANDAS_HEADER = [
    "",
    "Global_Event_ID",
    "Day",
    "YYYYMM",
    "YYYY",
    "Day_Time",
    "Actor_1_Country_Code",  # holds Actor1Code (e.g. KAZMIL), checked below
    "Actor_1_Name",
    "Actor_1_Country_ABBR",  # the latter holds Actor1CountryCode
    "Actor_1_Known_Group_Code",
    "Actor_1_Ethnic_Code",
    "Actor_1_Religion_Code",
    "Actor_1_Religion_2_Code",
    "Actor_1_Role",
    "Actor_1_Role2",
    "Actor_1_Role3",  # Actor1Type1Code .. Type3Code
    "Actor_2_Country_Code",
    "Actor_2_Name",
    "Actor_2_Country_ABBR",
    "Actor_2_Know_Group_Code",
    "Actor_2_Ethnic_Code",
    "Actor_2_Religion_Code",
    "Actor_2_Religion_2_Code",
    "Actor_2_Role",
    "Actor_2_Role2",
    "Actor_2_Role3",
    "Is_Root_Event",
    "Event_Code",
    "Event_Base_Code",
    "Event_Root_Code",
    "Quad_Class",
    "Goldstein_Scale",
    "Num_Mentions",
    "Num_Sources",
    "Num_Articles",
    "AVG_TONE",
    "Actor_1_Geo_Type",
    "Actor_1_Geo_FullName",
    "Actor_1_Geo_Country_Code",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor_2_Geo_Type",
    "Actor_2_Geo_FullName",
    "Actor_2_Geo_Country_Code",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "Mention_Type",
    "ST_PR_CNTRY",
    "Country",  # ActionGeo_Type, ActionGeo_FullName, ActionGeo_CountryCode
    "ADM1Code_Extra",
    "ADM2Code_Extra",
    "Lat_Extra",
    "Long_Extra",
    "ActorGeo_FeaturID_Extra",
    "Date_Added",
    "Source_URL",
    "Confidence",
]
COORDINATES = tuple(f"{geo}_{axis}" for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo") for axis in ("Lat", "Long"))
QUAD_CLASS_BY_ROOT = {
    **{r: "1" for r in range(1, 6)},
    **{r: "2" for r in range(6, 9)},
    **{r: "3" for r in range(9, 14)},
    **{r: "4" for r in range(14, 21)},
}


def check(name, condition, detail):
    if not condition:
        raise SystemExit(f"VERIFY FAILED {name}: {detail}")


def write_zip(path: Path, member: str, data: bytes) -> None:
    """One member, deflated, with fixed metadata: byte-identical on every run."""
    info = zipfile.ZipInfo(member, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(info, data, compresslevel=9)


def read_zip(path: Path) -> tuple[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        (member,) = archive.infolist()
        return member.filename, archive.read(member)


def duckdb_rows(con, data: bytes, fields: int) -> list[tuple]:
    """The rows DuckDB reads from a GDELT export (tab-separated, no quote, no header)."""
    handle, name = tempfile.mkstemp(suffix=".tsv")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        columns = ", ".join(f"'f{i}': 'VARCHAR'" for i in range(fields))
        return con.execute(
            f"SELECT * FROM read_csv('{name}', delim = '\t', quote = '', escape = '', header = false, "
            f"auto_detect = false, columns = {{{columns}}}, null_padding = true)"
        ).fetchall()
    finally:
        os.unlink(name)


# --- seeds --------------------------------------------------------------------------------------


def cameo_codes(shared: Path) -> dict[str, tuple[str, str]]:
    """cameo code -> (description, Goldstein score as written), verified."""
    with open(shared / CAMEO_TSV, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    check(CAMEO_TSV, rows[0] == ["", "Description", "GoldsteinScale", "cameoCode"], f"header {rows[0]}")
    codes = {}
    for code, description, goldstein, again in rows[1:]:
        check(CAMEO_TSV, code == again and re.fullmatch(r"[0-9]{2,4}", code), f"code {code!r} / {again!r}")
        check(CAMEO_TSV, code not in codes, f"code {code} twice")
        check(CAMEO_TSV, -10 <= float(goldstein) <= 10 and str(float(goldstein)) == goldstein, f"score {goldstein}")
        codes[code] = (description.strip(), goldstein)
    roots = sorted(c for c in codes if len(c) == 2)
    check(CAMEO_TSV, roots == [f"{r:02d}" for r in range(1, 21)], f"root codes {roots}")
    check(CAMEO_TSV, all(c[:2] in codes and (len(c) < 4 or c[:3] in codes) for c in codes), "a code without its parent")
    check(CAMEO_TSV, list(codes) == sorted(codes), "source not in code order")
    return codes


def write_cameo_seed(shared: Path, out: Path = SEEDS / "cameo_event_codes.csv") -> int:
    """cameo_code (string, leading zeros), description, goldstein_scale, root_code: codes quoted."""
    codes = cameo_codes(shared)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writerow(["cameo_code", "description", "goldstein_scale", "root_code"])
        for code, (description, goldstein) in codes.items():
            writer.writerow([code, description, float(goldstein), code[:2]])
    with open(out, newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    check(
        out.name,
        [(r["cameo_code"], r["goldstein_scale"]) for r in written] == [(c, g) for c, (_, g) in codes.items()],
        "codes or scores differ from the source",
    )
    print(f"OK {out.name}: {len(written)} CAMEO event codes (20 roots), scores as published")
    return len(written)


def write_fips_seed(shared: Path, out: Path = SEEDS / "fips_country_codes.csv") -> int:
    """fips_code, iso2_code, iso3_code, name_en: FIPS 10-4 (GDELT's geo country codes) to ISO, sorted by FIPS code."""
    with open(shared / FIPS_JSON, encoding="utf-8") as handle:
        mapping = json.load(handle)
    rows = [[fips, entry["iso2"], entry["iso3"], entry["name"]] for fips, entry in sorted(mapping.items())]
    check(
        FIPS_JSON,
        all(
            re.fullmatch(r"[A-Z0-9]{2}", r[0])
            and re.fullmatch(r"[A-Z]{2}", r[1] or "")
            and re.fullmatch(r"[A-Z]{3}", r[2] or "")
            and r[3]
            for r in rows
        ),
        "a malformed code or name",
    )
    for column, name in ((1, "iso2"), (2, "iso3")):
        repeated = [code for code, n in Counter(r[column] for r in rows).items() if n > 1]
        check(FIPS_JSON, not repeated, f"{name} codes mapped from several FIPS codes: {repeated}")
    by_fips = {r[0]: r for r in rows}
    for fips, iso2, iso3 in (
        ("KZ", "KZ", "KAZ"),
        ("GM", "DE", "DEU"),
        ("RS", "RU", "RUS"),
        ("CH", "CN", "CHN"),
        ("EZ", "CZ", "CZE"),
        ("LO", "SK", "SVK"),
        ("UK", "GB", "GBR"),
    ):
        check(FIPS_JSON, by_fips[fips][1:3] == [iso2, iso3], f"{fips} -> {by_fips[fips]}")
    with open(SEEDS / "eu27_member_states.csv", newline="", encoding="utf-8") as handle:
        members = {r["iso2_code"] for r in csv.DictReader(handle)}
    check(FIPS_JSON, members <= {r[1] for r in rows}, f"EU members without FIPS code: {members - {r[1] for r in rows}}")
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(["fips_code", "iso2_code", "iso3_code", "name_en"])
        writer.writerows(rows)
    with open(out, newline="", encoding="utf-8") as handle:
        check(out.name, [list(r.values()) for r in csv.DictReader(handle)] == rows, "rows differ from the source")
    print(f"OK {out.name}: {len(rows)} FIPS 10-4 codes, each with one ISO alpha-2 and alpha-3 code")
    return len(rows)


# --- GDELT 1.0: the daily sample as published ---------------------------------------------------


def write_gdelt1_sample(con, shared: Path) -> int:
    data = (shared / GDELT1_SAMPLE).read_bytes()
    out = OUT / f"{GDELT1_OUT}.zip"
    write_zip(out, GDELT1_OUT, data)
    member, written = read_zip(out)
    check(out.name, (member, written) == (GDELT1_OUT, data), "the member differs from the shared sample")
    counts = Counter(line.count(b"\t") + 1 for line in data.splitlines())
    check(out.name, counts == {58: 509, 57: 201}, f"field counts {counts}")
    rows = duckdb_rows(con, written, 58)
    check(out.name, len(rows) == 710 and sum(r[7] == "KAZ" or r[17] == "KAZ" for r in rows) == 1, "rows or KAZ row")
    print(f"OK {out.name}: {len(rows)} rows, byte-identical to the shared sample (509 with SOURCEURL, 201 without)")
    return len(rows)


# --- GDELT 2.0: 27 rows back from pandas into GDELT's export format -----------------------------


def official_fields(shared: Path) -> list[str]:
    with open(shared / FIELD_DICTIONARY, newline="", encoding="utf-8") as handle:
        fields = [row["tableId"] for row in csv.DictReader(handle)]
    check(FIELD_DICTIONARY, len(fields) == 61 and fields[0] == "GLOBALEVENTID" and fields[-1] == "SOURCEURL", fields)
    return fields


def pad_cameo(row: dict, codes: dict) -> None:
    """Leading zeros pandas dropped: root 2 digits, base 3; the event code 3 or 4 digits. Each padded
    code must exist in the CAMEO list and sit under its parent (event under base under root)."""
    root = row["EventRootCode"].zfill(2)
    base = row["EventBaseCode"].zfill(3)
    event = row["EventCode"].zfill(3)
    for name, code in (("EventRootCode", root), ("EventBaseCode", base), ("EventCode", event)):
        check(GDELT2_PANDAS, code in codes, f"{row['GLOBALEVENTID']}: {name} {code} not a CAMEO code")
    check(
        GDELT2_PANDAS,
        event.startswith(base) and base.startswith(root),
        f"{row['GLOBALEVENTID']}: {root}/{base}/{event}",
    )
    row["EventRootCode"], row["EventBaseCode"], row["EventCode"] = root, base, event


def integral_coordinates(row: dict) -> None:
    """pandas wrote coordinates like 48.0; GDELT writes integral coordinates without decimals (48),
    as its own 1.0 files show (Canada 60, -95). GoldsteinScale keeps its one decimal (GDELT writes 0.0)."""
    for field in COORDINATES:
        row[field] = re.sub(r"^(-?[0-9]+)\.0$", r"\1", row[field])


def check_mapping(row: dict, codes: dict) -> None:
    """The position mapping holds when the values agree with what each field must contain."""
    event = row["GLOBALEVENTID"]

    def ok(condition, what):
        check(GDELT2_PANDAS, condition, f"event {event}: {what}: {row}")

    ok(re.fullmatch(r"[0-9]+", event), "GLOBALEVENTID")
    ok(row["MonthYear"] == row["SQLDATE"][:6] and row["Year"] == row["SQLDATE"][:4], "SQLDATE / MonthYear / Year")
    ok(row["FractionDate"].startswith(row["Year"] + "."), "FractionDate")
    for n in (1, 2):
        code, country, type1 = row[f"Actor{n}Code"], row[f"Actor{n}CountryCode"], row[f"Actor{n}Type1Code"]
        ok(not country or code.startswith(country), f"Actor{n}Code starts with Actor{n}CountryCode")
        ok(not type1 or code.endswith(type1), f"Actor{n}Type1Code is part of Actor{n}Code")
    ok(row["GoldsteinScale"] == codes[row["EventCode"]][1], "GoldsteinScale is the CAMEO score of EventCode")
    ok(row["QuadClass"] == QUAD_CLASS_BY_ROOT[int(row["EventRootCode"])], "QuadClass agrees with EventRootCode")
    for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
        ok(row[f"{geo}_Type"] in "012345", f"{geo}_Type")
        ok(row[f"{geo}_ADM1Code"].startswith(row[f"{geo}_CountryCode"]), f"{geo}_ADM1Code starts with its country")
        ok(-90 <= float(row[f"{geo}_Lat"]) <= 90 and -180 <= float(row[f"{geo}_Long"]) <= 180, f"{geo} coordinates")
    ok(
        re.fullmatch(r"2020111[45][0-9]{6}", row["DATEADDED"])
        and row["DATEADDED"][-4:] in ("0000", "1500", "3000", "4500"),
        "DATEADDED is a 15-minute batch",
    )
    ok(row["SOURCEURL"].startswith("http"), "SOURCEURL")


def gdelt2_rows(shared: Path, codes: dict) -> list[dict]:
    fields = official_fields(shared)
    with open(shared / GDELT2_PANDAS, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    check(GDELT2_PANDAS, rows[0] == PANDAS_HEADER, f"header changed: {rows[0]}")
    check(GDELT2_PANDAS, len(rows) == 28 and all(len(r) == 63 for r in rows), "27 rows of 63 columns")
    events = []
    for raw in rows[1:]:
        check(GDELT2_PANDAS, re.fullmatch(r"[0-9]+", raw[62]) and 0 <= int(raw[62]) <= 100, f"Confidence {raw[62]}")
        row = dict(zip(fields, raw[1:62], strict=True))  # by position: the index column and Confidence dropped
        pad_cameo(row, codes)
        integral_coordinates(row)
        check_mapping(row, codes)
        stray = [f for f, v in row.items() if re.fullmatch(r"-?[0-9]+\.0", v) and f != "GoldsteinScale"]
        check(GDELT2_PANDAS, not stray, f"a float-written integer left in {stray}")
        events.append(row)
    return events


def write_gdelt2_batches(con, shared: Path, codes: dict) -> int:
    """One archive per 15-minute batch (DATEADDED), rows in source order, 61 fields, no header."""
    fields = official_fields(shared)
    events = gdelt2_rows(shared, codes)
    batches: dict[str, list[dict]] = {}
    for row in events:
        batches.setdefault(row["DATEADDED"], []).append(row)
    for old in OUT.glob(GDELT2_OUT.format(batch="*") + ".zip"):
        old.unlink()  # a rerun leaves no stale batch
    written_ids = []
    for batch, rows in sorted(batches.items()):
        text = "".join("\t".join(row[f] for f in fields) + "\n" for row in rows)
        check(
            batch,
            not any(re.search(r"[\t\r\n]", row[f]) for row in rows for f in fields),
            "a tab or line break inside a value",
        )
        member = GDELT2_OUT.format(batch=batch)
        write_zip(OUT / f"{member}.zip", member, text.encode("utf-8"))
        name, data = read_zip(OUT / f"{member}.zip")
        back = duckdb_rows(con, data, 61)
        check(
            name,
            [list(r) for r in back] == [[row[f] or None for f in fields] for row in rows],
            "DuckDB reads other values",
        )
        written_ids += [r[0] for r in back]
        print(f"OK {member}.zip: {len(back)} rows, 61 fields")
    check(
        GDELT2_OUT,
        written_ids == [row["GLOBALEVENTID"] for row in events] and len(written_ids) == 27,
        "ids written differ from the source",
    )
    print(f"OK {len(batches)} GDELT 2.0 batches: {len(written_ids)} rows = the 27 source rows")
    return len(written_ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="folder of the shared publisher extracts (default ../shared/data)",
    )
    shared = parser.parse_args().shared / "gdelt"
    OUT.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    write_fips_seed(shared)
    write_cameo_seed(shared)
    codes = cameo_codes(shared)
    write_gdelt1_sample(con, shared)
    write_gdelt2_batches(con, shared, codes)


if __name__ == "__main__":
    main()
