"""Eurostat TSV (bulk download, and the API's format=TSV) of the energy import datasets.

Header: `freq,siec,partner,unit,geo\\TIME_PERIOD` (for coifpm `freq,crudeoil,indic_nrg,geo\\TIME_PERIOD`),
then one tab-separated column per period ('2022 ', with a trailing space). Cells hold the value,
a space and the flags: '123.4 ', '123.4 p', ': ' (not available), ': c' (confidential).
The file does not name its dataset: nrg_ti_oil / gas / sff is inferred from the SIEC family
(O..., G..., C.../P.../S...), so a file mixing families is refused; coifpm has its own dimensions.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.sql import quoted, row_count, sql_string
from pipelines.core.staging import NUMBER_PATTERN, stage_text_csv
from pipelines.core.tables import ReadResult
from pipelines.domains.energy.readers.eurostat_sdmx_csv import (
    COIFPM_DATASET,
    COIFPM_DIMENSIONS,
    NRG_TI_DIMENSIONS,
    single_siec_dataset,
)
from pipelines.domains.energy.readers.sql_steps import (
    OLD_MONTH_PATTERN,
    PERIOD_PATTERN,
    check_energy_codes,
    check_geo_codes,
    check_one_row_per_key,
    energy_select,
    flag_sql,
    period_code_sql,
    period_columns,
)

# The data browser writes 'GEO/TIME_PERIOD' and capitals; the API 'geo\TIME_PERIOD'.
SERIES_KEY_HEADER = re.compile(r"([A-Za-z_]+(?:,[A-Za-z_]+)*)\s*[\\/]\s*TIME_PERIOD", re.IGNORECASE)
CELL_PATTERN = rf"\s*(:|{NUMBER_PATTERN})\s*([a-z]*)\s*"
TABLE = "stage_eurostat_tsv"


def tsv_dimensions(line: str) -> list[str] | None:
    """The series-key dimensions named by a TSV header line, or None if it is not one."""
    first_cell = line.split("\t", 1)[0].strip().strip('"')
    match = SERIES_KEY_HEADER.fullmatch(first_cell)
    return [dim.lower() for dim in match.group(1).split(",")] if match and "\t" in line else None


def read_eurostat_tsv(con: duckdb.DuckDBPyConnection, path: Path, header_line: str) -> ReadResult:
    dimensions = tsv_dimensions(header_line)
    coifpm = "crudeoil" in dimensions
    required = COIFPM_DIMENSIONS if coifpm else NRG_TI_DIMENSIONS
    series_header = header_line.split("\t", 1)[0].strip()
    missing = [dim for dim in required if dim not in dimensions]
    if missing:
        raise RawFileError(path, f"series key lacks dimension(s) {', '.join(missing)}", row=1, column=series_header)
    series, periods = _stage(con, path)
    _check_period_headers(path, periods)
    _split_series_keys(con, path, series, dimensions)
    keys = f"{TABLE}__keys"
    code = {dim: f"s.{dim}" for dim in required}
    check_geo_codes(con, path, keys, series, code["geo"], "geo")
    if coifpm:
        check_energy_codes(con, path, keys, series, code["crudeoil"], "crudeoil")
        check_energy_codes(con, path, keys, series, code["indic_nrg"], "indic_nrg")
        dataset = sql_string(COIFPM_DATASET)
    else:
        check_geo_codes(con, path, keys, series, code["partner"], "partner")
        check_energy_codes(con, path, keys, series, code["siec"], "siec")
        check_energy_codes(con, path, keys, series, code["unit"], "unit")
        dataset = single_siec_dataset(con, path, keys, code["siec"], series)
    cells = _unpivot_cells(con, path, series, periods)

    value = "CASE WHEN c.value_text <> ':' THEN CAST(c.value_text AS DOUBLE) END"
    select = energy_select(
        {
            "source_format": "'eurostat_tsv'",
            "dataset": dataset,
            "reporter_code": "s.geo",
            "partner_code": "NULL" if coifpm else "s.partner",
            "partner_label": "NULL",
            "product_code": "s.crudeoil" if coifpm else "s.siec",
            "indicator_code": "s.indic_nrg" if coifpm else "s.unit",
            **period_columns("c.period_code"),
            "obs_value": value,
            "obs_flag": flag_sql("c.flag", value),
            "vintage": "NULL",
            "source_url": "NULL",
            "source_line": "s.__line",
        },
        f"FROM {cells} c JOIN {keys} s USING (__line)",
    )
    check_one_row_per_key(con, path, select, series)
    return ReadResult(select, rows_read=row_count(con, cells))


def _stage(con, path: Path) -> tuple[str, list[str]]:
    """Stage every cell as text with its line; returns the series-key column and the period columns."""
    stage_text_csv(con, path, TABLE, delim="\t", quote="")  # Eurostat's TSV has no quoting
    names = [row[0] for row in con.execute(f"DESCRIBE {TABLE}").fetchall()][1:]
    return names[0], names[1:]


def _check_period_headers(path: Path, periods: list[str]) -> None:
    if not periods:
        raise RawFileError(path, "no period columns after the series key", row=1)
    for name in periods:
        if not (re.fullmatch(PERIOD_PATTERN, name.strip()) or re.fullmatch(OLD_MONTH_PATTERN, name.strip())):
            raise RawFileError(
                path, f"unreadable period in the header: {name!r} (expected YYYY or YYYY-MM)", row=1, column=name
            )


def _split_series_keys(con, path: Path, series: str, dimensions: list[str]) -> None:
    """One column per dimension of the series key 'A,O4100_TOT,KZ,THS_T,AT'."""
    key = f"s.{quoted(series)}"
    hit = con.execute(
        f"SELECT __line, {key} FROM {TABLE} s WHERE len(string_split(coalesce({key}, ''), ',')) <> {len(dimensions)} "
        f"ORDER BY __line LIMIT 1"
    ).fetchall()
    if hit:
        raise RawFileError(
            path,
            f"series key {hit[0][1]!r} does not have the {len(dimensions)} codes {', '.join(dimensions)}",
            row=hit[0][0],
            column=series,
        )
    parts = ", ".join(
        f"nullif(trim(split_part({key}, ',', {i})), '') AS {quoted(dim)}" for i, dim in enumerate(dimensions, 1)
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {TABLE}__keys AS "
        f"SELECT __line, {key} AS {quoted(series)}, {parts} FROM {TABLE} s"
    )


def _unpivot_cells(con, path: Path, series: str, periods: list[str]) -> str:
    """One row per (line, period) with the value text and flags; an empty or malformed cell is refused."""
    cells = f"{TABLE}__cells"
    in_list = ", ".join(quoted(p) for p in periods)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {cells} AS SELECT __line, period, cell, "
        f"regexp_extract(cell, '^{CELL_PATTERN}$', 1) AS value_text, "
        f"nullif(regexp_extract(cell, '^{CELL_PATTERN}$', 2), '') AS flag, "
        f"{period_code_sql('trim(period)')} AS period_code "
        f"FROM (SELECT * EXCLUDE ({quoted(series)}) FROM {TABLE}) "
        f"UNPIVOT INCLUDE NULLS (cell FOR period IN ({in_list}))"
    )
    bad = con.execute(
        f"SELECT __line, period, cell FROM {cells} WHERE cell IS NULL OR NOT regexp_full_match(cell, '{CELL_PATTERN}') "
        f"ORDER BY __line, period LIMIT 1"
    ).fetchall()
    if bad:
        line, period, cell = bad[0]
        reason = (
            "an empty cell (Eurostat writes ':' where no value is published)"
            if cell is None or not cell.strip()
            else f"not a number with flags: {cell!r}"
        )
        raise RawFileError(path, reason, row=line, column=period)
    return cells
