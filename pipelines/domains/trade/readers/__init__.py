"""Trade files: recognise the format by content (an Excel workbook by its bytes and sheet layout, a text
file by its header) and hand back one SELECT of the raw table's row shape."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.excel import read_workbook
from pipelines.core.files import excel_kind, header_columns
from pipelines.core.tables import ReadResult
from pipelines.domains.trade.readers.bns_xls import looks_like_bns, read_bns_xls
from pipelines.domains.trade.readers.comext_bulk import (
    bulk_layout,
    locate_bulk_lines,
    looks_like_bulk,
    stage_comext_bulk_sql,
)
from pipelines.domains.trade.readers.comext_bulk_extract import is_bulk_extract_header, read_comext_bulk_extract
from pipelines.domains.trade.readers.comext_databrowser_long import (
    is_databrowser_long_header,
    read_comext_databrowser_long,
)
from pipelines.domains.trade.readers.comext_relational import is_relational_header, read_comext_relational
from pipelines.domains.trade.readers.comext_sdmx_csv import is_sdmx_header, read_eurostat_sdmx_trade
from pipelines.domains.trade.readers.imf_dots_xlsx import looks_like_dots, read_imf_dots_xlsx
from pipelines.domains.trade.readers.un_comtrade_csv import is_comtrade_header, read_un_comtrade_csv


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
    if is_comtrade_header(columns):
        return "un_comtrade_csv"
    return None


def read_trade_file(con: duckdb.DuckDBPyConnection, path: Path, partners: tuple[str, ...]) -> ReadResult:
    """A SELECT yielding the row shape of the raw table the file lands in (and the rows it read): Comext
    trade rows, or another table's shape (ReadResult.table) for workbooks, CN8 extracts, data-browser
    exports and Comtrade extracts."""
    if excel_kind(path):
        return read_trade_workbook(con, path)
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
    if fmt == "un_comtrade_csv":  # lands in raw.comtrade_flows
        return read_un_comtrade_csv(con, path, columns)
    if fmt == "comext_bulk_extract":  # every partner: a CN8 extract is small and cut by code, not partner
        return read_comext_bulk_extract(con, path, columns)
    if fmt == "comext_databrowser_long":
        return read_comext_databrowser_long(con, path, columns)
    raise RawFileError(
        path,
        "header not recognised as a Comext bulk file, an Easy Comext relational view, "
        f"Eurostat SDMX-CSV or a UN Comtrade extract; header is: {', '.join(columns)[:300]}",
        row=1,
    )


def read_trade_workbook(con: duckdb.DuckDBPyConnection, path: Path) -> ReadResult:
    """Kazakhstan's BNS foreign-trade tables (raw.kz_partner_trade) or IMF DOTS workbooks (raw.imf_dots_flows)."""
    sheets = read_workbook(path)
    if looks_like_bns(sheets):
        return read_bns_xls(con, path, sheets)
    if looks_like_dots(sheets):
        return read_imf_dots_xlsx(con, path, sheets)
    raise RawFileError(
        path,
        "an Excel workbook not recognised as Kazakhstan's BNS foreign-trade table (title 'Основные показатели "
        "внешней торговли', header 'Товарооборот | Экспорт | Импорт') nor as an IMF DOTS workbook (sheets titled "
        f"'Exports, FOB to Partner Countries', 'Imports, CIF from Partner Countries'); its sheets: "
        f"{', '.join(sheet.name for sheet in sheets)[:300]}",
        row=1,
    )
