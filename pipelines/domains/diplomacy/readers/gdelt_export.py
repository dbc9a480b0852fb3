"""GDELT event exports: Kazakhstan's events, and every file's per-day totals of all, Kazakh and EU events.

Two formats, recognised by the first line's content, never by the file name:
- GDELT 1.0 daily export (`YYYYMMDD.export.CSV.zip`): 57 fields (the 1979-2013 backfile) or 58
  with SOURCEURL; both occur in one file. DATEADDED is YYYYMMDD.
- GDELT 2.0 15-minute export (`YYYYMMDDHHMMSS.export.CSV.zip`): 61 fields (ADM2 codes added to
  each geography). DATEADDED is YYYYMMDDHHMMSS, UTC.
Both are tab-separated without quoting and without a header; a header row (added by tools that
re-save the files) is accepted when its names are GDELT's. Plain, gzip or zip (one member).

One DuckDB scan per file (or per batch of plain daily files) keeps, per line, its verdicts and
flags only: the first failing check of ids, dates and the numbers that land (reported with its
line and GDELT field name), a short line, the id, the day, the Kazakh/EU/kept flags; the other
fields are kept for the events touching Kazakhstan alone, while the totals are counted over every
event of the file.
"""

from __future__ import annotations

import contextlib
import re
import threading
import zlib
from pathlib import Path
from typing import NamedTuple

import duckdb

from pipelines.core.errors import RawFileError, from_duckdb_error
from pipelines.core.files import ZipMemberStream, first_line, is_gzip, is_zip, open_decompressed
from pipelines.core.sql import quoted, row_count, sql_list, sql_string
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


class Check(NamedTuple):
    field: str
    pattern: str  # the whole value must match (RE2)
    empty_ok: bool  # '' is allowed (the value lands as NULL)
    date_format: str | None  # also a valid date/time in this strptime format
    expected: str  # what the value should be, for the error message

    def bad_sql(self) -> str:
        """SQL true when the value is bad (NULL for a missing field: the short-line check reports it)."""
        f = quoted(self.field)
        bad = f"NOT regexp_full_match({f}, '{self.pattern}')"
        if self.date_format:
            bad = f"try_strptime({f}, '{self.date_format}') IS NULL OR {bad}"
        return f"{f} <> '' AND {bad}" if self.empty_ok else bad


def _field_checks(layout: Layout) -> list[Check]:
    """The checks of every line, in field order, so the first bad field of a line is the one reported."""
    digits, fmt = layout.date_added_digits, layout.date_added_format
    checks = [
        Check("GLOBALEVENTID", "[0-9]{1,18}", False, None, "a numeric event id"),
        Check("SQLDATE", "[0-9]{8}", False, "%Y%m%d", "a date YYYYMMDD"),
        *[Check(f, INTEGER_RE, True, None, "an integer") for f in INTEGER_FIELDS],
        *[Check(f, DECIMAL_RE, True, None, "a number") for f in DECIMAL_FIELDS],
        Check(
            "DATEADDED",
            f"[0-9]{{{digits}}}",
            False,
            fmt,
            f"a {digits}-digit {'date' if digits == 8 else 'time'} {fmt.replace('%', '')}",
        ),
    ]
    order = {name: i for i, name in enumerate(layout.fields)}
    return sorted(checks, key=lambda check: order[check.field])


def first_bad_check_sql(layout: Layout) -> str:
    """SQL: the index of the first check a line fails, NULL when it passes them all.

    The common case is decided by one regular expression over the checked fields joined by tabs
    (a field never holds a tab) and the two dates; only a line failing it runs the checks one by one.
    Both give the same verdict: the joined pattern is the fields' patterns, in order."""
    checks = _field_checks(layout)
    joined = "\t".join(f"({c.pattern})?" if c.empty_ok else f"({c.pattern})" for c in checks)
    values = ", ".join(quoted(c.field) for c in checks)
    dates = " AND ".join(
        f"try_strptime({quoted(c.field)}, '{c.date_format}') IS NOT NULL" for c in checks if c.date_format
    )
    one_by_one = " ".join(f"WHEN {c.bad_sql()} THEN {i}" for i, c in enumerate(checks))
    return (
        f"CASE WHEN regexp_full_match(concat_ws(chr(9), {values}), {sql_string(joined)}) AND {dates} THEN NULL "
        f"ELSE CASE {one_by_one} END END"
    )


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


# --- one scan: verdicts and flags for every line, the other fields only for kept lines ----------

STAGE = "gdelt_stage"
EVENTS = "gdelt_stage_events"
TOTALS = "gdelt_stage_totals"
# Per line the scan keeps four narrow columns and one mostly-NULL list (each column of the staged
# table costs an append per line, whatever it holds):
#   __bad    the first failing check (its index in _field_checks), SHORT_LINE for a line with too
#            few fields, NULL for a good line
#   __id     GLOBALEVENTID, __day SQLDATE
#   __flags  bit i: the line counts in side i of the totals (actor_sides_sql's order); KEEP_BIT: kept
#   __kept   the kept_fields of a kept line, as text, in order (NULL for the ~99% of other lines)
SHORT_LINE = 255


def _sides() -> list[str]:
    return list(actor_sides_sql().values())


KEEP_BIT = 1 << len(_sides())


def kept_fields(layout: Layout) -> list[str]:
    """The fields raw.gdelt_events needs, in file order: staged for kept lines only (NULL elsewhere)."""
    sql = _event_columns(layout)
    return [field for field in layout.fields if re.search(rf"\b{field}\b", sql)]


def scan_sql(source: str, layout: Layout, by_file: bool = False) -> str:
    """The staging SELECT over `source` (a read_csv): one narrow row per line, in file order.

    The checks, flags and totals' inputs are evaluated in the scan itself, so nothing wider than
    a few flags is kept for the ~99% of lines that are not Kazakh; the fields of kept lines are
    kept as text and typed later (after the checks passed)."""
    first_bad = first_bad_check_sql(layout)
    bits = " + ".join(
        f"CAST(coalesce({condition}, false) AS UTINYINT) * {1 << i}" for i, condition in enumerate(_sides())
    )
    kept = ", ".join(quoted(f) for f in kept_fields(layout))
    last_required = quoted(layout.fields[layout.required - 1])
    file = "file_index AS __file, " if by_file else ""  # a multi-file scan's virtual column
    inner = (
        f"SELECT *, {file}CAST(CASE WHEN {last_required} IS NULL THEN {SHORT_LINE} ELSE {first_bad} END AS UTINYINT) "
        f"AS __bad, TRY_CAST(GLOBALEVENTID AS BIGINT) AS __id, CAST(try_strptime(SQLDATE, '%Y%m%d') AS DATE) AS __day, "
        f"coalesce({kept_event_sql()}, false) AS __keep FROM {source}"
    )
    return (
        f"SELECT {'__file, ' if by_file else ''}__bad, __id, __day, "
        f"CAST({bits} + CASE WHEN __keep THEN {KEEP_BIT} ELSE 0 END AS UTINYINT) AS __flags, "
        f"CASE WHEN __keep THEN [{kept}] END AS __kept FROM ({inner})"
    )


def read_csv_sql(data: str | list[str], layout: Layout, skip: int, gz: bool) -> str:
    """DuckDB's reader over one file (or several of one layout), every field as text."""
    columns = ", ".join(f"{sql_string(f)}: 'VARCHAR'" for f in layout.fields)
    files = sql_string(data) if isinstance(data, str) else f"[{sql_list(data)}]"
    return (
        f"read_csv({files}, delim = '\t', quote = '', escape = '', header = false, skip = {skip}, "
        f"auto_detect = false, columns = {{{columns}}}, null_padding = true, "
        f"nullstr = {sql_string(NULL_SENTINEL)}, compression = {sql_string('gzip' if gz else 'none')})"
    )


def stage(con: duckdb.DuckDBPyConnection, path: Path, data: str, layout: Layout, skip: int, gz: bool) -> None:
    """One scan of the file into STAGE, with `__line` (line 1 = the first line of the file)."""
    source = read_csv_sql(data, layout, skip, gz)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {STAGE}__scan AS {scan_sql(source, layout)}")
    # Insertion keeps file order, so rowid counts lines (offset inside a transaction). A view, not a
    # second copy: the staged table is a few bytes per line.
    first = con.execute(f"SELECT coalesce(min(rowid), 0) FROM {STAGE}__scan").fetchall()[0][0]
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {STAGE} AS SELECT rowid - {int(first)} + {skip + 1} AS __line, * "
        f"FROM {STAGE}__scan"
    )


def drop_stage(con: duckdb.DuckDBPyConnection) -> None:
    """Free the staged file. After a failed read the transaction is aborted: its rollback frees it."""
    try:
        con.execute(f"DROP VIEW IF EXISTS {STAGE}")
        con.execute(f"DROP TABLE IF EXISTS {STAGE}__scan")
    except duckdb.TransactionException:
        pass


def line_fields(opener, number: int) -> list[str] | None:
    """The tab-separated fields of one line of the file (on the error path only)."""
    with opener() as handle:
        raw = next((raw for n, raw in enumerate(handle, start=1) if n == number), None)
    return None if raw is None else raw.rstrip(b"\r\n").decode("utf-8", "replace").split("\t")


def _read_error(path: Path, opener, exc: duckdb.Error, layout: Layout) -> RawFileError:
    """DuckDB's error for a line with too many fields, in GDELT's terms; any other as DuckDB says it."""
    text = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    if line and "Expected Number of Columns" in text:
        number = int(line.group(1))
        # DuckDB stops counting at the first extra field: count them on the line itself
        fields = line_fields(opener, number)
        return RawFileError(
            path,
            f"{None if fields is None else len(fields)} tab-separated fields; {_expected_fields(layout)}",
            row=number,
            column=layout.fields[-1],
        )
    if line and "Invalid unicode" in text:
        return RawFileError(path, "not UTF-8 text (GDELT writes UTF-8)", row=int(line.group(1)))
    return from_duckdb_error(str(path), exc)


def _expected_fields(layout: Layout) -> str:
    return "a GDELT 1.0 event has 57 or 58" if layout == GDELT1 else "a GDELT 2.0 event has 61"


class LineCount:
    """Newlines of a file and its last byte, counted by a thread beside the scan (plain or gzip)."""

    def __init__(self, opener):
        self.lines, self.last, self.error = 0, b"\n", None
        self._thread = threading.Thread(target=self._count, args=(opener,), name="gdelt-line-count", daemon=True)
        self._thread.start()

    def _count(self, opener) -> None:
        try:
            with opener() as handle:
                while chunk := handle.read(1 << 22):
                    self.lines += chunk.count(b"\n")
                    self.last = chunk[-1:]
        except (OSError, EOFError, zlib.error) as exc:  # a corrupt gzip: DuckDB's scan says so too
            self.error = exc

    def result(self) -> tuple[int, bytes]:
        self._thread.join()
        return self.lines, self.last


def check_no_blank_lines(path: Path, opener, lines: int, last: bytes, rows_staged: int) -> None:
    """DuckDB skips blank lines, which would shift every later line number: refuse them (GDELT writes none).

    Fast path: the file's line count (counted beside the scan) equals the rows staged. Only on a
    mismatch are the lines walked.
    """
    lines += last != b"\n"  # a last line without its newline
    if lines == rows_staged:
        return
    with opener() as handle:
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


def check_field_counts(con, path: Path, opener, layout: Layout) -> None:
    """A line with too few fields: padded with NULL by the reader (empty fields are '')."""
    short = con.execute(f"SELECT min(__line) FROM {STAGE} WHERE __bad = {SHORT_LINE}").fetchall()[0][0]
    if short is not None:
        count = len(line_fields(opener, short) or [])
        raise RawFileError(
            path,
            f"{count} tab-separated fields; {_expected_fields(layout)}",
            row=short,
            column=layout.fields[min(count, len(layout.fields) - 1)],
        )


def check_values(con, path: Path, opener, layout: Layout) -> None:
    """Ids, dates and the numbers that land: the first bad value in the file, with its line and field
    (the scan kept, per line, the first check it failed, in field order)."""
    found = con.execute(f"SELECT __line, __bad FROM {STAGE} WHERE __bad IS NOT NULL ORDER BY __line LIMIT 1").fetchall()
    if found:
        line, i = found[0]
        check = _field_checks(layout)[i]
        value = (line_fields(opener, line) or [])[layout.fields.index(check.field)]
        raise RawFileError(path, f"{value!r} is not {check.expected}", row=line, column=check.field)


def check_unique_ids(con, path: Path) -> None:
    """GDELT ids are unique: a repeated one would count an event twice in the totals."""
    if row_count(con, f"(SELECT DISTINCT __id FROM {STAGE})") == row_count(con, STAGE):
        return
    dup = con.execute(
        f"SELECT __id, list(__line ORDER BY __line) FROM {STAGE} "
        f"GROUP BY __id HAVING count(*) > 1 ORDER BY min(__line) LIMIT 1"
    ).fetchall()
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


def events_sql(layout: Layout, source: str = STAGE, key: str = "") -> str:
    """The raw.gdelt_events row shape over the staged kept lines: codes as written, numbers typed
    (`key`: columns put first, such as a batch's file index)."""
    unpack = ", ".join(f"__kept[{i}] AS {quoted(f)}" for i, f in enumerate(kept_fields(layout), start=1))
    return f"""
        SELECT {key} {_event_columns(layout)}
        FROM (SELECT {key} __line, {unpack} FROM {source} WHERE __flags & {KEEP_BIT} <> 0)
        ORDER BY {key} __line
    """


def _event_columns(layout: Layout) -> str:
    """The raw.gdelt_events columns over a kept line's fields (by their GDELT names) and __line."""
    fmt = layout.date_added_format
    return f"""
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
            CAST(__line AS BIGINT) AS source_line"""


def totals_sql(layout: Layout, source: str = STAGE, key: str = "") -> str:
    """raw.gdelt_actor_totals over STAGE: per event day, every event and those with a Kazakh or EU actor
    (zero included: a day with no Kazakh event is a fact, not a gap)."""
    sides = list(actor_sides_sql())
    counts = ", ".join(
        f"count(*) FILTER (WHERE __flags & {1 << i} <> 0) AS {quoted(side)}" for i, side in enumerate(sides)
    )
    values = ", ".join(f"({sql_string(side)}, {i})" for i, side in enumerate(sides))
    pick = " ".join(f"WHEN {sql_string(side)} THEN d.{quoted(side)}" for side in sides)
    return f"""
        WITH per_day AS (SELECT {key} __day AS event_date, {counts} FROM {source} GROUP BY ALL)
        SELECT {key.replace("__file", "d.__file")} {sql_string(layout.fmt)} AS source_format, d.event_date,
               s.side AS actor_side, CAST(CASE s.side {pick} END AS BIGINT) AS events,
               CAST(NULL AS BIGINT) AS source_line
        FROM per_day d CROSS JOIN (VALUES {values}) AS s(side, side_order)
        ORDER BY {key.replace("__file", "d.__file")} d.event_date, s.side_order
    """


def _own_connection(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A DuckDB of its own (in memory) for the staging, committing each statement.

    land_folder holds one transaction over the whole folder, and DuckDB frees a dropped table only
    once no transaction older than the drop is running, even on another connection: staged in the
    warehouse's database, every file's staging would stay in memory until the last file (2 GiB for
    a year of days). Staged in a database of its own, each is freed when dropped; only the small
    results (kept events, totals) are handed over to `con`."""
    return duckdb.connect(":memory:")


def _hand_over(stage_con, con, name: str, sql: str) -> str:
    """The result of `sql` on the staging connection, readable on `con`: a subquery over a pandas frame
    (a few thousand rows) registered on `con` as `name`, each column cast back to its DuckDB type.

    Registered, not copied into a temporary table: inside land_folder's one transaction DuckDB keeps
    every replaced temporary table until the commit (memory growing with the files), while a replaced
    registration frees its frame."""
    types = stage_con.execute(f"DESCRIBE {sql}").fetchall()  # column_name, column_type, ...
    con.register(name, stage_con.execute(sql).fetchdf())
    casts = ", ".join(f"CAST({quoted(column)} AS {kind}) AS {quoted(column)}" for column, kind, *_ in types)
    return f"(SELECT {casts} FROM {name})"


def _unregister(con, *names: str) -> None:
    for name in names:
        with contextlib.suppress(duckdb.Error):
            con.unregister(name)


def read_gdelt_file(con: duckdb.DuckDBPyConnection, path: Path) -> ReadResult:
    """Kazakhstan's events of one GDELT event export, and the file's per-day totals as companion.

    One DuckDB scan of the file (a zip member streamed into it through a pipe, no temporary file),
    staged on a connection of its own; the SELECTs read only temporary tables.
    """
    path = Path(path)
    batched = _batched_result(con, path)
    if batched is not None:
        return batched
    zipped = ZipMemberStream(path, MAX_UNZIPPED_BYTES) if is_zip(path) else None
    if zipped is not None:
        opener, line = zipped.open, zipped.first_line(limit=1 << 20)
    else:
        opener, line = (lambda: open_decompressed(path)), read_first_line(path)
    layout, has_header = recognise(path, line)
    skip = 1 if has_header else 0
    own = _own_connection(con)
    try:
        if zipped is not None:
            with zipped:
                try:
                    stage(own, path, zipped.name, layout, skip, gz=False)
                except duckdb.Error as exc:
                    zipped.finish()  # a corrupt member is the cause: its error first
                    raise _read_error(path, opener, exc, layout) from exc
                zipped.finish()
            lines, last = zipped.lines, zipped.last
        else:
            counting = LineCount(opener)
            try:
                stage(own, path, str(path), layout, skip, gz=is_gzip(path))
            except duckdb.Error as exc:
                counting.result()
                raise _read_error(path, opener, exc, layout) from exc
            lines, last = counting.result()
        rows_read = row_count(own, STAGE)
        check_no_blank_lines(path, opener, lines, last, rows_read + skip)
        check_field_counts(own, path, opener, layout)
        if rows_read == 0:
            raise RawFileError(path, "a header row and no events", row=2)
        check_values(own, path, opener, layout)
        check_unique_ids(own, path)
        # Kept rows and totals are small: hand them over and free the staged file.
        events = _hand_over(own, con, EVENTS, events_sql(layout))
        totals = _hand_over(own, con, TOTALS, totals_sql(layout))
    finally:
        drop_stage(own)
        own.close()
    return ReadResult(
        select=f"SELECT * FROM {events} ORDER BY source_line",
        rows_read=rows_read,
        companions={"gdelt_actor_totals": f"SELECT * FROM {totals}"},
    )


# --- several files per scan ---------------------------------------------------------------------
# land_folder calls read_gdelt_file.prepare(con, paths) with the files it is about to read. When it
# asks for the first of them, that file and the next plain files of its layout (up to BATCH_BYTES,
# so memory does not grow with the number of files) are scanned by one read_csv over the list: DuckDB
# then spreads the scan over every core even where each file is small. A file the batch finds
# anything wrong with (a failed check, a blank line, a read error) is read again on its own, which
# reports the error exactly as for a single file; the batch only ever serves files that pass.

BATCH_BYTES = 512 << 20
NEWLINE = b"\n"
BATCH = "gdelt_batch"


class _Plan:
    def __init__(self, con: duckdb.DuckDBPyConnection, paths: list[Path]):
        self.pending = [Path(p) for p in paths]
        self.ready: dict[Path, tuple[int, int]] = {}  # path -> (file index in the batch, rows)
        self.sources = ("", "")  # the batch's kept events and totals (subqueries, see _hand_over)
        self.own = _own_connection(con)  # the batches are staged there (see _own_connection)


_PLANS: dict[int, _Plan] = {}


def prepare(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> None:
    """The files land_folder will read next, in order (several are scanned at once; see above)."""
    _PLANS[id(con)] = _Plan(con, paths)


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the plan and free the batch's tables (land_folder calls it when the folder is done)."""
    plan = _PLANS.pop(id(con), None)
    if plan is not None:
        with contextlib.suppress(duckdb.Error):
            plan.own.close()  # its temporary tables go with it
    _unregister(con, f"{BATCH}__events", f"{BATCH}__totals", EVENTS, TOTALS)


def _plain_layout(path: Path) -> Layout | None:
    """The layout of a plain file without a header (what a batch may hold), else None."""
    try:
        if is_zip(path) or is_gzip(path):
            return None
        layout, has_header = recognise(path, read_first_line(path))
    except (RawFileError, OSError):
        return None
    return None if has_header else layout


def _batched_result(con: duckdb.DuckDBPyConnection, path: Path) -> ReadResult | None:
    plan = _PLANS.get(id(con))
    if plan is None:
        return None
    if path not in plan.ready and path in plan.pending:
        _scan_batch(con, plan, path)
    if path not in plan.ready:
        return None
    index, rows = plan.ready.pop(path)
    events, totals = plan.sources
    # Straight from the batch's results: no copy per file (see _hand_over).
    return ReadResult(
        select=f"SELECT * EXCLUDE (__file) FROM {events} WHERE __file = {index} ORDER BY source_line",
        rows_read=rows,
        companions={"gdelt_actor_totals": f"SELECT * EXCLUDE (__file) FROM {totals} WHERE __file = {index}"},
    )


def _scan_batch(con: duckdb.DuckDBPyConnection, plan: _Plan, path: Path) -> None:
    """Scan `path` and the plain files after it (same layout) at once; fill plan.ready with those that pass."""
    start = plan.pending.index(path)
    layout = _plain_layout(path)
    if layout is None:
        plan.pending.pop(start)
        return
    batch, size = [], 0
    for candidate in plan.pending[start:]:
        if batch and (size + candidate.stat().st_size > BATCH_BYTES or _plain_layout(candidate) != layout):
            break
        batch.append(candidate)
        size += candidate.stat().st_size
    del plan.pending[start : start + len(batch)]
    if len(batch) < 2:
        return  # one file: the single-file path
    # a fresh DuckDB for each batch (with one for the whole folder the peak kept rising: 462 MiB
    # against 416 for a year of days)
    plan.own.close()
    own = plan.own = _own_connection(con)
    counts: list[tuple[int, bytes]] = []
    counting = threading.Thread(
        target=lambda: counts.extend(_line_count(p) for p in batch), name="gdelt-batch-line-count", daemon=True
    )
    counting.start()
    # a line DuckDB cannot read is skipped, not raised (an error would abort the landing's transaction):
    # its file then has fewer rows than lines and is read again on its own, which names the line
    source = read_csv_sql([str(p) for p in batch], layout, 0, gz=False).replace(
        "null_padding = true", "null_padding = true, ignore_errors = true"
    )
    try:
        own.execute(f"CREATE TEMP TABLE {BATCH}__scan AS {scan_sql(source, layout, by_file=True)}")
    except duckdb.Error:
        counting.join()
        return  # a read error in one of them: each is read on its own, which names it
    counting.join()
    # per file: rows, first rowid (insertion keeps file order), and whether anything is wrong
    lines = ", ".join(f"({i}, {n + (last != NEWLINE)})" for i, (n, last) in enumerate(counts))
    own.execute(
        f"""CREATE TEMP TABLE {BATCH}__files AS
        SELECT s.__file, count(*) AS rows, min(s.rowid) AS first,
               count(s.__bad) > 0 OR count(DISTINCT s.__id) <> count(*)
               OR any_value(l.lines) <> count(*) AS wrong
        FROM {BATCH}__scan s JOIN (VALUES {lines}) AS l(__file, lines) USING (__file)
        GROUP BY s.__file"""
    )
    lined = (
        f"(SELECT s.rowid - f.first + 1 AS __line, s.* FROM {BATCH}__scan s "
        f"JOIN {BATCH}__files f USING (__file) WHERE NOT f.wrong)"
    )
    # the batch's kept rows and totals (small) to `con`, replacing the previous batch's (whose files were
    # all served: land_folder asks for the files in order); its lines are freed with the staging table
    plan.ready.clear()
    plan.sources = (
        _hand_over(own, con, f"{BATCH}__events", events_sql(layout, lined, key="__file,")),
        _hand_over(own, con, f"{BATCH}__totals", totals_sql(layout, lined, key="__file,")),
    )
    own.execute(f"DROP TABLE {BATCH}__scan")
    for index, rows, wrong in own.execute(f"SELECT __file, rows, wrong FROM {BATCH}__files").fetchall():
        if not wrong:
            plan.ready[batch[index]] = (index, rows)


def _line_count(path: Path) -> tuple[int, bytes]:
    lines, last = 0, b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 22):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines, last


read_gdelt_file.prepare = prepare
read_gdelt_file.release = release
