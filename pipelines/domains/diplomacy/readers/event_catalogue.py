"""The curated catalogue of EU-Kazakhstan diplomatic events (raw/events/*.csv): one cited row per event.

A CSV with a header; dates ISO (YYYY-MM-DD). Where only the month or year is known, the date is
the first day of it and `date_precision` says so. Every row must cite a source URL.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.sql import quoted
from pipelines.core.staging import check_unique_key, require_columns, stage_text_csv
from pipelines.core.tables import ReadResult

CATALOGUE_COLUMNS = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "title",
    "location",
    "participants",
    "source_url",
    "notes",
)


def is_catalogue_header(columns: list[str]) -> bool:
    return {"event_id", "date_start", "source_url"} <= {c.lower() for c in columns}


def read_event_catalogue(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> ReadResult:
    require_columns(path, columns, CATALOGUE_COLUMNS)
    table = "stage_event_catalogue"
    stage_text_csv(con, path, table)
    name = {c.lower(): c for c in columns}
    col = {c: f"nullif(trim(s.{quoted(name[c])}), '')" for c in CATALOGUE_COLUMNS}
    _check_dates(con, path, table, name)
    _check_required(con, path, table, name)
    check_unique_key(con, path, table, [name["event_id"]])
    select = f"""
        SELECT 'event_catalogue' AS source_format,
               {col["event_id"]} AS event_id,
               CAST({col["date_start"]} AS DATE) AS date_start,
               CAST({col["date_end"]} AS DATE) AS date_end,
               lower({col["date_precision"]}) AS date_precision,
               {col["event_type"]} AS event_type,
               {col["title"]} AS title,
               {col["location"]} AS location,
               {col["participants"]} AS participants,
               {col["source_url"]} AS source_url,
               {col["notes"]} AS notes,
               s.__line AS source_line
        FROM {table} s
    """
    return ReadResult(select)


def _first_bad(con, table: str, condition: str):
    rows = con.execute(f"SELECT __line FROM {table} s WHERE {condition} ORDER BY __line LIMIT 1").fetchall()
    return rows[0][0] if rows else None


def _check_dates(con, path: Path, table: str, name: dict) -> None:
    for column in ("date_start", "date_end"):
        value = f"nullif(trim(s.{quoted(name[column])}), '')"
        line = _first_bad(
            con,
            table,
            f"{value} IS NOT NULL AND (NOT regexp_full_match({value}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
            f"OR TRY_CAST({value} AS DATE) IS NULL)",
        )
        if line:
            raise RawFileError(path, "not a date in YYYY-MM-DD form", row=line, column=name[column])
    start, end = (f"TRY_CAST(nullif(trim(s.{quoted(name[c])}), '') AS DATE)" for c in ("date_start", "date_end"))
    line = _first_bad(con, table, f"{end} < {start}")
    if line:
        raise RawFileError(path, "date_end is before date_start", row=line, column=name["date_end"])


def _check_required(con, path: Path, table: str, name: dict) -> None:
    for column in ("event_id", "date_start", "event_type", "title", "source_url"):
        line = _first_bad(con, table, f"nullif(trim(s.{quoted(name[column])}), '') IS NULL")
        if line:
            why = "every event must cite its source" if column == "source_url" else "a value is required"
            raise RawFileError(path, f"empty {column}: {why}", row=line, column=name[column])
    precision = f"lower(trim(s.{quoted(name['date_precision'])}))"
    line = _first_bad(con, table, f"{precision} IS NULL OR {precision} NOT IN ('day', 'month', 'year')")
    if line:
        raise RawFileError(path, "date_precision must be day, month or year", row=line, column=name["date_precision"])
    url = f"trim(s.{quoted(name['source_url'])})"
    line = _first_bad(con, table, f"NOT regexp_full_match({url}, 'https?://[^\\s]+')")
    if line:
        raise RawFileError(path, "source_url is not an http(s) URL", row=line, column=name["source_url"])
