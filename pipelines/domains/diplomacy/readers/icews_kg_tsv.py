"""ICEWS event rows as temporal knowledge-graph subsets publish them: a SAMPLE of ICEWS, not all of it.

A tab-separated file with a header: source_actor, event_text_cameo_label (the CAMEO event text; the
subsets drop the code), target_actor, event_date (YYYY-MM-DD) and origin_repo_file, the subset and
split a row was taken from, e.g. 'ICEWS05-15 (BorealisAI/de-simple datasets/icews05-15, valid)'.
The subsets (ICEWS05-15, ICEWS14, ICEWS18) keep frequent actors only and drop ids, intensity and
location; which datasets and splits the sample holds, and what share of each period they cover,
is the seed icews_sample_coverage: a row from any other split is refused, since its coverage is not
known. Actors stay as written and must be in the seed icews_actors, which places each on a side; an
actor nobody has placed is refused with its line.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.seeds import read_seed
from pipelines.core.sql import quoted, row_count, sql_list
from pipelines.core.staging import refuse_first, require_columns, stage_text_csv, text_sql
from pipelines.core.tables import ReadResult

COLUMNS = ("source_actor", "event_text_cameo_label", "target_actor", "event_date", "origin_repo_file")
SOURCE, LABEL, TARGET, DATE, ORIGIN = COLUMNS
TABLE = "stage_icews_kg"
# 'ICEWS05-15 (BorealisAI/de-simple datasets/icews05-15, valid)' -> dataset, split
ORIGIN_PATTERN = r"^(\S+) \(.+, (train|valid|test)\)$"
DAY_PATTERN = r"[12][0-9]{3}-[0-9]{2}-[0-9]{2}"


def is_icews_header(columns: list[str]) -> bool:
    return {SOURCE, TARGET, DATE} <= {c.lower() for c in columns}


def known_actors() -> list[str]:
    return [row["actor_label"] for row in read_seed("icews_actors")]


def sampled_splits() -> list[str]:
    """'ICEWS05-15/valid', ...: the dataset splits whose coverage the seed documents."""
    return [
        f"{row['dataset']}/{split}"
        for row in read_seed("icews_sample_coverage")
        for split in row["splits_in_sample"].split(";")
    ]


def read_icews_kg_tsv(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> ReadResult:
    """Stage the file and return a SELECT of the ICEWS row shape (routed to raw.icews_events)."""
    require_columns(path, columns, COLUMNS)
    name = {c.lower(): c for c in columns}
    col = {c: name[c] for c in COLUMNS}
    stage_text_csv(con, path, TABLE, delim="\t", quote="")  # the subsets are plain TSV, no quoting
    _check_rows(con, path, col)
    origin = text_sql(col[ORIGIN])
    select = f"""
        SELECT
            'icews_kg_tsv' AS source_format,
            {text_sql(col[SOURCE])} AS source_actor,
            {text_sql(col[LABEL])} AS event_text,
            {text_sql(col[TARGET])} AS target_actor,
            CAST({text_sql(col[DATE])} AS DATE) AS event_date,
            regexp_extract({origin}, '{ORIGIN_PATTERN}', 1) AS origin_dataset,
            regexp_extract({origin}, '{ORIGIN_PATTERN}', 2) AS origin_split,
            {origin} AS origin_repo_file,
            s.__line AS source_line
        FROM {TABLE} s
    """
    return ReadResult(select, rows_read=row_count(con, TABLE), table="icews_events")


def _check_rows(con: duckdb.DuckDBPyConnection, path: Path, col: dict[str, str]) -> None:
    """Every cell present, dates real, actors placed, origins known: each refused at its first bad line."""
    for column in COLUMNS:
        refuse_first(
            con,
            path,
            TABLE,
            f"{text_sql(col[column])} IS NULL",
            f"s.{quoted(col[column])}",
            col[column],
            "a value is required",
        )
    date = text_sql(col[DATE])
    not_a_day = f"NOT regexp_full_match({date}, '{DAY_PATTERN}') OR TRY_CAST({date} AS DATE) IS NULL"
    refuse_first(con, path, TABLE, not_a_day, f"s.{quoted(col[DATE])}", col[DATE], "not a date in YYYY-MM-DD form")
    actors = sql_list(known_actors())
    for column in (SOURCE, TARGET):
        refuse_first(
            con,
            path,
            TABLE,
            f"{text_sql(col[column])} NOT IN ({actors})",
            f"s.{quoted(col[column])}",
            col[column],
            "actor not placed on a side by the seed icews_actors",
        )
    origin = text_sql(col[ORIGIN])
    split = f"regexp_extract({origin}, '{ORIGIN_PATTERN}', 1) || '/' || regexp_extract({origin}, '{ORIGIN_PATTERN}', 2)"
    refuse_first(
        con,
        path,
        TABLE,
        f"{split} NOT IN ({sql_list(sampled_splits())})",
        f"s.{quoted(col[ORIGIN])}",
        col[ORIGIN],
        "not a dataset split of the seed icews_sample_coverage (its coverage is unknown)",
    )
