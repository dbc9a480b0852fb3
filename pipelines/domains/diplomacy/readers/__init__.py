"""The diplomacy readers: raw/events holds the curated catalogue and samples of ICEWS event rows (each
recognised by its header), raw/gdelt GDELT event exports (gdelt_export.read_gdelt_file)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.files import header_columns
from pipelines.core.tables import ReadResult
from pipelines.domains.diplomacy.readers.event_catalogue import is_catalogue_header, read_event_catalogue
from pipelines.domains.diplomacy.readers.gdelt_export import read_gdelt_file
from pipelines.domains.diplomacy.readers.icews_kg_tsv import is_icews_header, read_icews_kg_tsv

__all__ = ["read_events_file", "read_gdelt_file"]  # the readers of raw/events and raw/gdelt


def read_events_file(con: duckdb.DuckDBPyConnection, path: Path) -> ReadResult:
    columns = header_columns(path)
    if is_catalogue_header(columns):
        return read_event_catalogue(con, path, columns)
    if is_icews_header(columns):  # lands in raw.icews_events
        return read_icews_kg_tsv(con, path, columns)
    raise RawFileError(
        path,
        "header not recognised as the diplomatic-event catalogue (event_id, date_start, ..., source_url) or "
        "ICEWS event rows (source_actor, event_text_cameo_label, target_actor, event_date, origin_repo_file); "
        f"header is: {', '.join(columns)[:300]}",
        row=1,
    )
