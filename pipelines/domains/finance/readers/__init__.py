"""Finance files: recognise the wiiw FDI export by its header (plain or gzip, any name) and route it
to its raw table (by partner, or by economic activity)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.files import first_line, header_columns
from pipelines.core.tables import ReadResult
from pipelines.domains.diplomacy.readers.event_catalogue import is_catalogue_header
from pipelines.domains.energy.readers import energy_format
from pipelines.domains.finance.readers.wiiw_fdi_csv import read_wiiw_fdi, wiiw_breakdown
from pipelines.domains.trade.readers import trade_format


def read_finance_file(con: duckdb.DuckDBPyConnection, path: Path) -> ReadResult:
    """A SELECT of raw.fdi_by_partner or raw.fdi_by_activity rows for a wiiw FDI Database export."""
    line = first_line(path)  # refuses an empty file or a corrupt gzip, naming line 1
    columns = header_columns(path)
    breakdown = wiiw_breakdown(columns)
    if breakdown is not None:
        return read_wiiw_fdi(con, path, columns, breakdown)
    raise RawFileError(path, _not_finance(line, columns), row=1)


def _not_finance(line: str, columns: list[str]) -> str:
    """Why the header is not a finance file, pointing to the folder where it belongs if it is known."""
    shown = ", ".join(columns)[:300]
    if trade_format(columns):
        return f"a Comext trade file, not a finance file: it belongs in raw/trade/; header is: {shown}"
    if energy_format(line, columns):
        return f"an energy file, not a finance file: it belongs in raw/energy/; header is: {shown}"
    if is_catalogue_header(columns):
        return f"a diplomatic events catalogue, not a finance file: it belongs in raw/events/; header is: {shown}"
    return (
        "header not recognised as a wiiw FDI Database export (Tree Level 1, Country-Code, Country, "
        "Direction, Partner-Code and Partner or Classification, Digit and Industry/Product, Unit, "
        f"Footnotes, Sources, _YYYY...); header is: {shown}"
    )
