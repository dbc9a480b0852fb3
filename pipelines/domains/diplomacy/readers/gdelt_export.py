"""GDELT event exports: Kazakhstan's events, and every file's per-day totals of all, Kazakh and EU events.

Two formats, recognised by the first line's content, never by the file name:
- GDELT 1.0 daily export (`YYYYMMDD.export.CSV.zip`): 57 fields (the 1979-2013 backfile) or 58
  with SOURCEURL; both occur in one file. DATEADDED is YYYYMMDD.
- GDELT 2.0 15-minute export (`YYYYMMDDHHMMSS.export.CSV.zip`): 61 fields (ADM2 codes added to
  each geography). DATEADDED is YYYYMMDDHHMMSS, UTC.
Both are tab-separated without quoting and without a header; a header row (added by tools that
re-save the files) is accepted when its names are GDELT's. Plain, gzip or zip (one member).

Every field is staged as text with its line; ids, dates and the numbers that land are checked
over the whole file (a bad value is reported with its line and GDELT field name), then only the
events touching Kazakhstan are kept, while the totals are counted over every event of the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError, from_duckdb_error
from pipelines.core.files import extract_single_zip_member, first_line, is_gzip, is_zip, open_decompressed
from pipelines.core.sql import quoted, row_count, sql_string
from pipelines.core.tables import ReadResult
from pipelines.domains.diplomacy.actors import actor_is_eu_sql, actor_is_kz_sql, actor_sides_sql, kept_event_sql
from pipelines.domains.diplomacy.gdelt_codebook import GDELT1, LAYOUT_BY_FIELD_COUNT, Layout

MENTIONS_HEADER_START = ("GLOBALEVENTID", "EVENTTIMEDATE", "MENTIONTIMEDATE")
MAX_UNZIPPED_BYTES = 1 << 30  # a GDELT 1.0 daily export is ~100 MB unzipped; 2.0 batches a few MB
NULL_SENTINEL = "\x01"  # never in GDELT text: empty fields read as '', missing (padded) fields as NULL

# --- checks on the staged text ----------------------------------------------------------------

INTEGER_FIELDS = ("IsRootEvent", "QuadClass", "NumMentions", "NumSources", "NumArticles")
DECIMAL_FIELDS = ("GoldsteinScale", "AvgTone", "ActionGeo_Lat", "ActionGeo_Long")
INTEGER_RE = r"-?[0-9]+"
DECIMAL_RE = r"-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?"


def _field_checks(layout: Layout) -> list[tuple[str, str, str]]:
    """(field, SQL true when the value is bad, what it should be): in field order, so the first
    bad field of a line is the one reported."""
    digits, fmt = layout.date_added_digits, layout.date_added_format
    checks = [
        ("GLOBALEVENTID", "NOT regexp_full_match(GLOBALEVENTID, '[0-9]{1,18}')", "a numeric event id"),
        (
            "SQLDATE",
            "try_strptime(SQLDATE, '%Y%m%d') IS NULL OR NOT regexp_full_match(SQLDATE, '[0-9]{8}')",
            "a date YYYYMMDD",
        ),
        *[
            (f, f"{quoted(f)} <> '' AND NOT regexp_full_match({quoted(f)}, '{INTEGER_RE}')", "an integer")
            for f in INTEGER_FIELDS
        ],
        *[
            (f, f"{quoted(f)} <> '' AND NOT regexp_full_match({quoted(f)}, '{DECIMAL_RE}')", "a number")
            for f in DECIMAL_FIELDS
        ],
        (
            "DATEADDED",
            f"try_strptime(DATEADDED, '{fmt}') IS NULL OR NOT regexp_full_match(DATEADDED, '[0-9]{{{digits}}}')",
            f"a {digits}-digit {'date' if digits == 8 else 'time'} {fmt.replace('%', '')}",
        ),
    ]
    order = {name: i for i, name in enumerate(layout.fields)}
    return sorted(checks, key=lambda check: order[check[0]])


# --- recognising the file ---------------------------------------------------------------------


def read_first_line(path: Path) -> str:
    """Line 1 of a GDELT file (its lines can be long: up to 1 MiB is read)."""
    return first_line(path, limit=1 << 20)


def recognise(path: Path, line: str) -> tuple[Layout, bool]:
    """The layout of a GDELT event file and whether line 1 is a header, from line 1 alone."""
    fields = line.split("\t")
    names = [f.strip().upper() for f in fields]
    if len(fields) == 1:
        kind = next(
            (f"{name}-separated" for sep, name in ((",", "comma"), (";", "semicolon")) if sep in line),
            "not tab-separated",
        )
        raise RawFileError(
            path,
            f"not a GDELT event export ({kind}; GDELT exports are tab-separated): is it a trade or energy file "
            f"in the gdelt folder? Line 1 starts {line[:120]!r}",
            row=1,
        )
    if tuple(names[:3]) == MENTIONS_HEADER_START or (
        len(fields) == 16 and all(re.fullmatch(r"[0-9]{14}", f) for f in fields[1:3])
    ):
        raise RawFileError(
            path,
            "a GDELT 2.0 mentions file (16 fields: GLOBALEVENTID, EventTimeDate, "
            "MentionTimeDate, ...), not an event export",
            row=1,
        )
    if (
        names[0] in ("GKGRECORDID", "DATE")
        or re.fullmatch(r"[0-9]{14}-T?[0-9]+", fields[0])
        or (len(fields) in (11, 15) and re.fullmatch(r"[0-9]{8}", fields[0]) and fields[1].isdigit())
    ):
        raise RawFileError(
            path, f"a GDELT Global Knowledge Graph (GKG) file ({len(fields)} fields), not an event export", row=1
        )
    layout = LAYOUT_BY_FIELD_COUNT.get(len(fields))
    if layout is None:
        raise RawFileError(
            path,
            f"{len(fields)} tab-separated fields on line 1: a GDELT 1.0 event export has 57 or 58, "
            f"a GDELT 2.0 export 61",
            row=1,
        )
    has_header = names[0] == "GLOBALEVENTID"
    if has_header:
        # a 57-field header lacks 1.0's last field (SOURCEURL): compare the fields it has
        for position, (found, expected) in enumerate(zip(fields, layout.fields, strict=False), start=1):
            if found.strip().upper() != expected.upper():
                raise RawFileError(
                    path, f"header field {position} is {found!r}; GDELT names it {expected}", row=1, column=expected
                )
    return layout, has_header


# --- staging and the two SELECTs --------------------------------------------------------------

STAGE = "gdelt_stage"
EVENTS = "gdelt_stage_events"
TOTALS = "gdelt_stage_totals"


def used_fields(layout: Layout) -> list[str]:
    """The fields the checks, the kept rows and the totals read, in file order. Only these are
    staged: DuckDB still splits every field of every line, but keeps 30 of 58 (or 61)."""
    sql = " ".join([events_sql(layout, 1), totals_sql(layout, 1), *(bad for _, bad, _ in _field_checks(layout))])
    used = {field for field in layout.fields if re.search(rf"\b{field}\b", sql)} | {layout.fields[layout.required - 1]}
    return [field for field in layout.fields if field in used]


def stage_text(con: duckdb.DuckDBPyConnection, path: Path, data: Path, layout: Layout) -> None:
    """The used fields as text into STAGE, with `__line` (line 1 = the first line of the file)."""
    columns = ", ".join(f"{sql_string(f)}: 'VARCHAR'" for f in layout.fields)
    compression = "gzip" if is_gzip(data) else "none"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {STAGE}__text AS SELECT {', '.join(quoted(f) for f in used_fields(layout))} "
            f"FROM read_csv({sql_string(data)}, "
            f"delim = '\t', quote = '', escape = '', header = false, auto_detect = false, columns = {{{columns}}}, "
            f"null_padding = true, nullstr = {sql_string(NULL_SENTINEL)}, compression = {sql_string(compression)})"
        )
    except duckdb.Error as exc:
        raise _read_error(path, data, exc, layout) from exc
    # Insertion keeps file order, so rowid counts lines (offset inside a transaction). A view, not a
    # second copy of the file: memory stays at one staged copy.
    first = con.execute(f"SELECT coalesce(min(rowid), 0) FROM {STAGE}__text").fetchall()[0][0]
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {STAGE} AS SELECT rowid - {int(first)} + 1 AS __line, * FROM {STAGE}__text"
    )


def drop_stage(con: duckdb.DuckDBPyConnection) -> None:
    """Free the staged file. After a failed read the transaction is aborted: its rollback frees it."""
    try:
        con.execute(f"DROP VIEW IF EXISTS {STAGE}")
        con.execute(f"DROP TABLE IF EXISTS {STAGE}__text")
    except duckdb.TransactionException:
        pass


def fields_on_line(data: Path, number: int) -> int | None:
    """Tab-separated fields on one line of the file (on the error path only)."""
    with open_decompressed(data) as handle:
        return next(
            (raw.rstrip(b"\r\n").count(b"\t") + 1 for n, raw in enumerate(handle, start=1) if n == number), None
        )


def _read_error(path: Path, data: Path, exc: duckdb.Error, layout: Layout) -> RawFileError:
    """DuckDB's error for a line with too many fields, in GDELT's terms; any other as DuckDB says it."""
    text = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    if line and "Expected Number of Columns" in text:
        number = int(line.group(1))
        # DuckDB stops counting at the first extra field: count them on the line itself
        return RawFileError(
            path,
            f"{fields_on_line(data, number)} tab-separated fields; {_expected_fields(layout)}",
            row=number,
            column=layout.fields[-1],
        )
    if line and "Invalid unicode" in text:
        return RawFileError(path, "not UTF-8 text (GDELT writes UTF-8)", row=int(line.group(1)))
    return from_duckdb_error(str(path), exc)


def _expected_fields(layout: Layout) -> str:
    return "a GDELT 1.0 event has 57 or 58" if layout == GDELT1 else "a GDELT 2.0 event has 61"


def check_no_blank_lines(path: Path, data: Path, rows_staged: int) -> None:
    """DuckDB skips blank lines, which would shift every later line number: refuse them (GDELT writes none).

    Fast path: the file's line count equals the rows staged. Only on a mismatch are the lines walked.
    """
    lines, last = 0, b"\n"
    with open_decompressed(data) as handle:
        while chunk := handle.read(1 << 22):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    lines += last != b"\n"  # a last line without its newline
    if lines == rows_staged:
        return
    with open_decompressed(data) as handle:
        blank = [n for n, line in enumerate(handle, start=1) if not line.strip(b"\r\n")]
    inner = [n for i, n in enumerate(blank) if n != lines - (len(blank) - 1 - i)]  # trailing blank lines are harmless
    if inner:
        raise RawFileError(
            path, "a blank line: GDELT exports have none (and later line numbers would shift)", row=inner[0]
        )
    if lines - len(blank) != rows_staged:
        # DuckDB drops a line longer than its read buffer without an error: never land a file short
        raise RawFileError(
            path,
            f"{lines - len(blank)} lines in the file but {rows_staged} read: a line could not be "
            "read whole (an enormous line?)",
            row=rows_staged + 1,
        )


def check_field_counts(con, path: Path, data: Path, layout: Layout) -> None:
    """A line with too few fields: padded with NULL by the reader (empty fields are '')."""
    last_required = quoted(layout.fields[layout.required - 1])
    short = con.execute(f"SELECT min(__line) FROM {STAGE} WHERE {last_required} IS NULL").fetchall()[0][0]
    if short is not None:
        count = fields_on_line(data, short)
        raise RawFileError(
            path,
            f"{count} tab-separated fields; {_expected_fields(layout)}",
            row=short,
            column=layout.fields[min(count, len(layout.fields) - 1)],
        )


def check_values(con, path: Path, layout: Layout, first_data_line: int) -> None:
    """Ids, dates and the numbers that land: the first bad value in the file, with its line and field."""
    checks = _field_checks(layout)
    firsts = ", ".join(f"min(__line) FILTER (WHERE {bad})" for _, bad, _ in checks)
    lines = con.execute(f"SELECT {firsts} FROM {STAGE} WHERE __line >= {first_data_line}").fetchall()[0]
    found = [(line, i) for i, line in enumerate(lines) if line is not None]
    if found:
        line, i = min(found)
        field, _, expected = checks[i]
        value = con.execute(f"SELECT {quoted(field)} FROM {STAGE} WHERE __line = ?", [line]).fetchall()[0][0]
        raise RawFileError(path, f"{value!r} is not {expected}", row=line, column=field)


def check_unique_ids(con, path: Path, first_data_line: int) -> None:
    """GDELT ids are unique: a repeated one would count an event twice in the totals."""
    dup = con.execute(
        f"SELECT GLOBALEVENTID, list(__line ORDER BY __line) FROM {STAGE} WHERE __line >= {first_data_line} "
        f"GROUP BY GLOBALEVENTID HAVING count(*) > 1 ORDER BY min(__line) LIMIT 1"
    ).fetchall()
    if dup:
        event_id, lines = dup[0]
        raise RawFileError(
            path,
            f"GLOBALEVENTID {event_id} repeated on lines {', '.join(map(str, lines))}",
            row=lines[1],
            column="GLOBALEVENTID",
        )


def _text(field: str) -> str:
    return f"NULLIF({quoted(field)}, '')"


def _number(field: str, kind: str) -> str:
    return f"CAST(NULLIF({quoted(field)}, '') AS {kind})"


def events_sql(layout: Layout, first_data_line: int) -> str:
    """The raw.gdelt_events row shape over STAGE: codes as written, numbers typed, Kazakhstan's events only."""
    fmt = layout.date_added_format
    return f"""
        SELECT
            {sql_string(layout.fmt)} AS source_format,
            CAST(GLOBALEVENTID AS BIGINT) AS global_event_id,
            CAST(strptime(SQLDATE, '%Y%m%d') AS DATE) AS event_date,
            strptime(DATEADDED, '{fmt}') AS date_added,
            {_text("Actor1Code")} AS actor1_code,
            {_text("Actor1Name")} AS actor1_name,
            {_text("Actor1CountryCode")} AS actor1_country_code,
            {_text("Actor1KnownGroupCode")} AS actor1_known_group_code,
            {_text("Actor1Type1Code")} AS actor1_type1_code,
            {_text("Actor2Code")} AS actor2_code,
            {_text("Actor2Name")} AS actor2_name,
            {_text("Actor2CountryCode")} AS actor2_country_code,
            {_text("Actor2KnownGroupCode")} AS actor2_known_group_code,
            {_text("Actor2Type1Code")} AS actor2_type1_code,
            {actor_is_kz_sql(1)} AS actor1_is_kz,
            {actor_is_kz_sql(2)} AS actor2_is_kz,
            {actor_is_eu_sql(1)} AS actor1_is_eu,
            {actor_is_eu_sql(2)} AS actor2_is_eu,
            CASE IsRootEvent WHEN '1' THEN true WHEN '0' THEN false END AS is_root_event,
            {_text("EventCode")} AS event_code,
            {_text("EventBaseCode")} AS event_base_code,
            {_text("EventRootCode")} AS event_root_code,
            {_number("QuadClass", "INTEGER")} AS quad_class,
            {_number("GoldsteinScale", "DOUBLE")} AS goldstein_scale,
            {_number("NumMentions", "INTEGER")} AS num_mentions,
            {_number("NumSources", "INTEGER")} AS num_sources,
            {_number("NumArticles", "INTEGER")} AS num_articles,
            {_number("AvgTone", "DOUBLE")} AS avg_tone,
            {_text("Actor1Geo_CountryCode")} AS actor1_geo_country_fips,
            {_text("Actor2Geo_CountryCode")} AS actor2_geo_country_fips,
            {_text("ActionGeo_CountryCode")} AS action_geo_country_fips,
            {_text("ActionGeo_FullName")} AS action_geo_full_name,
            {_number("ActionGeo_Lat", "DOUBLE")} AS action_geo_lat,
            {_number("ActionGeo_Long", "DOUBLE")} AS action_geo_long,
            {_text("SOURCEURL")} AS source_url,
            CAST(__line AS BIGINT) AS source_line
        FROM {STAGE}
        WHERE __line >= {first_data_line} AND {kept_event_sql()}
        ORDER BY __line
    """


def totals_sql(layout: Layout, first_data_line: int) -> str:
    """raw.gdelt_actor_totals over STAGE: per event day, every event and those with a Kazakh or EU actor
    (zero included: a day with no Kazakh event is a fact, not a gap)."""
    counts = ", ".join(
        f"count(*) FILTER (WHERE {condition}) AS {quoted(side)}" for side, condition in actor_sides_sql().items()
    )
    sides = ", ".join(f"({sql_string(side)}, {i})" for i, side in enumerate(actor_sides_sql()))
    pick = " ".join(f"WHEN {sql_string(side)} THEN d.{quoted(side)}" for side in actor_sides_sql())
    return f"""
        WITH per_day AS (
            SELECT CAST(strptime(SQLDATE, '%Y%m%d') AS DATE) AS event_date, {counts}
            FROM {STAGE} WHERE __line >= {first_data_line} GROUP BY 1
        )
        SELECT {sql_string(layout.fmt)} AS source_format, d.event_date, s.side AS actor_side,
               CAST(CASE s.side {pick} END AS BIGINT) AS events, CAST(NULL AS BIGINT) AS source_line
        FROM per_day d CROSS JOIN (VALUES {sides}) AS s(side, side_order)
        ORDER BY d.event_date, s.side_order
    """


def read_gdelt_file(con: duckdb.DuckDBPyConnection, path: Path) -> ReadResult:
    """Kazakhstan's events of one GDELT event export, and the file's per-day totals as companion.

    The SELECTs read only temporary tables: a zip member's temporary file is gone on return.
    """
    path = Path(path)
    # DuckDB cannot read zip: its one member goes to a temporary file, size-limited
    data = extract_single_zip_member(path, MAX_UNZIPPED_BYTES) if is_zip(path) else path
    try:
        layout, has_header = recognise(path, read_first_line(data))
        first_data_line = 2 if has_header else 1
        stage_text(con, path, data, layout)
        check_no_blank_lines(path, data, row_count(con, STAGE))
        check_field_counts(con, path, data, layout)
    except RawFileError:
        drop_stage(con)
        raise
    finally:
        if data != path:
            data.unlink(missing_ok=True)
    try:
        rows_read = row_count(con, f"(SELECT * FROM {STAGE} WHERE __line >= {first_data_line})")
        if rows_read == 0:
            raise RawFileError(path, "a header row and no events", row=2)
        check_values(con, path, layout, first_data_line)
        check_unique_ids(con, path, first_data_line)
        # Kept rows and totals are small: materialise them and free the staged file.
        con.execute(f"CREATE OR REPLACE TEMP TABLE {EVENTS} AS {events_sql(layout, first_data_line)}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE {TOTALS} AS {totals_sql(layout, first_data_line)}")
    finally:
        drop_stage(con)
    return ReadResult(
        select=f"SELECT * FROM {EVENTS} ORDER BY source_line",
        rows_read=rows_read,
        companions={"gdelt_actor_totals": f"SELECT * FROM {TOTALS}"},
    )
