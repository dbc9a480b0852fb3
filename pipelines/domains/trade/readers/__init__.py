"""Trade files: recognise the format by header and hand back one SELECT of the trade row shape."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.domains.trade.readers.comext_bulk import bulk_layout, locate_bulk_lines, looks_like_bulk, stage_comext_bulk_sql
from pipelines.domains.trade.readers.comext_bulk_extract import is_bulk_extract_header, read_comext_bulk_extract
from pipelines.domains.trade.readers.comext_databrowser_long import (
    is_databrowser_long_header,
    read_comext_databrowser_long,
)
from pipelines.domains.trade.readers.comext_relational import is_relational_header, read_comext_relational
from pipelines.core.errors import RawFileError
from pipelines.core.tables import ReadResult
from pipelines.domains.trade.readers.comext_sdmx_csv import is_sdmx_header, read_eurostat_sdmx_trade
from pipelines.core.files import header_columns

def trade_format(columns: list[str]) -> str | None:
    if is_bulk_extract_header(columns):  # before the bulk file, whose PRODUCT_NC it shares
        return "comext_bulk_extract"
    if is_databrowser_long_header(columns):
        return "comext_databrowser_long"
    if bulk_layout(columns) or looks_like_bulk(columns):
        return "comext_bulk"
    if is_sdmx_header(columns):
        return "eurostat_sdmx"
    if is_relational_header(columns):
        return "comext_relational"
    return None


def read_trade_file(con: duckdb.DuckDBPyConnection, path: Path, partners: tuple[str, ...]) -> ReadResult:
    """A SELECT yielding TRADE_ROW_COLUMNS for any supported trade file (and the rows it read); CN8
    extracts and data-browser exports yield their own tables' shapes (ReadResult.table)."""
    columns = header_columns(path)
    fmt = trade_format(columns)
    if fmt == "comext_bulk":
        # filtered while reading: the rows read are the configured partners' rows
        return ReadResult(
            stage_comext_bulk_sql(con, path, columns, partners),
            locate_lines=lambda key: locate_bulk_lines(path, columns, key),
        )
    if fmt == "eurostat_sdmx":
        return read_eurostat_sdmx_trade(con, path, columns)
    if fmt == "comext_relational":
        return read_comext_relational(con, path, columns)
    if fmt == "comext_bulk_extract":  # every partner: a CN8 extract is small and cut by code, not partner
        return read_comext_bulk_extract(con, path, columns)
    if fmt == "comext_databrowser_long":
        return read_comext_databrowser_long(con, path, columns)
    raise RawFileError(
        path,
        "header not recognised as a Comext bulk file, an Easy Comext relational view or "
        f"Eurostat SDMX-CSV; header is: {', '.join(columns)[:300]}",
        row=1,
    )

