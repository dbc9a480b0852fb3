"""Energy files: recognise the format by its header (plain or gzip, any name) and hand back one
SELECT of the energy row shape (energy_rows.ENERGY_ROW_COLUMNS)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.files import first_line, header_columns
from pipelines.core.tables import ReadResult
from pipelines.domains.energy.readers.dg_ener_register import is_register_header, read_dg_ener_register
from pipelines.domains.energy.readers.eurostat_sdmx_csv import is_energy_sdmx_header, read_eurostat_energy_sdmx
from pipelines.domains.energy.readers.eurostat_tsv import read_eurostat_tsv, tsv_dimensions
from pipelines.domains.energy.readers.reference_facts import is_reference_facts_header, read_energy_reference_facts
from pipelines.domains.trade.readers import trade_format


def energy_format(line: str, columns: list[str]) -> str | None:
    if tsv_dimensions(line):
        return "eurostat_tsv"
    if is_energy_sdmx_header(columns):
        return "eurostat_sdmx"
    if is_register_header(columns):
        return "dg_ener_register"
    if is_reference_facts_header(columns):
        return "reference_facts"
    return None


def read_energy_file(con: duckdb.DuckDBPyConnection, path: Path) -> ReadResult:
    """A SELECT yielding ENERGY_ROW_COLUMNS for any supported energy file."""
    line = first_line(path)  # refuses an empty file or a corrupt gzip, naming line 1
    columns = header_columns(path)
    fmt = energy_format(line, columns)
    if fmt == "eurostat_tsv":
        return read_eurostat_tsv(con, path, line)
    if fmt == "eurostat_sdmx":
        return read_eurostat_energy_sdmx(con, path, columns)
    if fmt == "dg_ener_register":
        return read_dg_ener_register(con, path, columns)
    if fmt == "reference_facts":
        return read_energy_reference_facts(con, path, columns)
    raise RawFileError(path, _not_energy(line, columns), row=1)


def _not_energy(line: str, columns: list[str]) -> str:
    """Why the header is not an energy file, pointing to the folder where it belongs if it is known."""
    shown = ", ".join(columns)[:300]
    trade = trade_format(columns)
    if trade is not None or {"reporter", "product", "flow"} <= {c.lower() for c in columns}:
        return f"a Comext trade file, not an energy file: it belongs in raw/trade/; header is: {shown}"
    if _looks_like_gdelt(line, columns):
        return "a GDELT events or mentions file, not an energy file: it belongs in raw/gdelt/"
    if {"event_id", "date_start"} <= {c.lower() for c in columns}:
        return f"a diplomatic events catalogue, not an energy file: it belongs in raw/events/; header is: {shown}"
    if line.startswith("#"):
        return (
            "a file with '#' comment lines (a third party's preprocessed copy?): energy files are "
            "Eurostat SDMX-CSV or TSV, the DG ENER register or reference facts, as published"
        )
    return (
        "header not recognised as Eurostat SDMX-CSV or TSV (nrg_ti_oil/gas/sff, nrg_ti_coifpm), "
        f"the DG ENER crude oil import register or energy reference facts; header is: {shown}"
    )


def _looks_like_gdelt(line: str, columns: list[str]) -> bool:
    """GDELT files: a GLOBALEVENTID header (2.0 samples), or no header and many tab-separated
    fields starting with the numeric event id (raw 1.0 / 2.0 exports, mentions)."""
    names = {"".join(ch for ch in c.lower() if ch.isalnum()) for c in columns}
    if "globaleventid" in names:
        return True
    fields = line.split("\t")
    return len(fields) >= 16 and fields[0].strip().isdigit()
