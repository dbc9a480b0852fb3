"""Eurostat SDMX-CSV of the energy import datasets: nrg_ti_oil / nrg_ti_gas / nrg_ti_sff and nrg_ti_coifpm.

nrg_ti_*: DATAFLOW, LAST UPDATE, freq, siec, partner, unit, geo, TIME_PERIOD, OBS_VALUE, OBS_FLAG
[, CONF_STATUS]; product = siec, indicator = unit, partner = partner.
nrg_ti_coifpm: DATAFLOW, LAST UPDATE, freq, crudeoil, indic_nrg, geo, TIME_PERIOD, OBS_VALUE, OBS_FLAG;
product = crudeoil (the grade), indicator = indic_nrg, partner NULL (the grade implies the origin,
mapped later in a dbt seed).
Cells may be 'code' or 'code:label' (labels=both). Files without DATAFLOW (the shared coifpm
extract writes `last_update` and no DATAFLOW) get the dataset from their dimensions.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from pipelines.core.errors import RawFileError
from pipelines.core.sql import quoted, row_count, sql_list, sql_string
from pipelines.core.staging import (
    check_numbers,
    code_part_sql,
    number_sql,
    refuse_first,
    require_columns,
    stage_text_csv,
    text_sql,
)
from pipelines.core.tables import ReadResult
from pipelines.domains.energy.readers.sql_steps import (
    check_energy_codes,
    check_geo_codes,
    check_one_row_per_key,
    check_periods,
    energy_select,
    flag_sql,
    period_code_sql,
    period_columns,
)

NRG_TI_DIMENSIONS = ("siec", "partner", "unit", "geo")
COIFPM_DIMENSIONS = ("crudeoil", "indic_nrg", "geo")
OBSERVATION = ("TIME_PERIOD", "OBS_VALUE")
# Dataflows with these dimensions (the monthly twins nrg_ti_oilm, ... would need adding to the energy suite too).
NRG_TI_DATASET = re.compile(r"nrg_ti_(oil|gas|sff)")
COIFPM_DATASET = "nrg_ti_coifpm"
CONFIDENTIAL_STATUS = ("C", "D", "N")  # CONF_STATUS: confidential, secondary confidential, not for publication
TABLE = "stage_energy_sdmx"


def siec_dataset_sql(siec: str) -> str:
    """nrg_ti_* dataset of a SIEC code: the family is the first letter (O oil, G gas, C/P/S solid
    fossil fuels: coal, peat, oil shale). Only files that do not name their dataset need this."""
    return (
        f"CASE left({siec}, 1) WHEN 'O' THEN 'nrg_ti_oil' WHEN 'G' THEN 'nrg_ti_gas' "
        f"WHEN 'C' THEN 'nrg_ti_sff' WHEN 'P' THEN 'nrg_ti_sff' WHEN 'S' THEN 'nrg_ti_sff' END"
    )


def is_energy_sdmx_header(columns: list[str]) -> bool:
    names = {c.lower() for c in columns}
    return "time_period" in names and bool(names & {"siec", "crudeoil"})


def read_eurostat_energy_sdmx(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> ReadResult:
    name = {c.lower(): c for c in columns}
    coifpm = "crudeoil" in name
    dimensions = COIFPM_DIMENSIONS if coifpm else NRG_TI_DIMENSIONS
    require_columns(path, columns, (*dimensions, *OBSERVATION))
    stage_text_csv(con, path, TABLE)
    col = {dim: name[dim.lower()] for dim in (*dimensions, *OBSERVATION)}
    code = {dim: code_part_sql(col[dim]) for dim in dimensions}
    check_numbers(con, path, TABLE, col["OBS_VALUE"])
    check_periods(con, path, TABLE, col["TIME_PERIOD"], text_sql(col["TIME_PERIOD"]))
    check_geo_codes(con, path, TABLE, col["geo"], code["geo"], "geo")
    if coifpm:
        check_energy_codes(con, path, TABLE, col["crudeoil"], code["crudeoil"], "crudeoil")
        check_energy_codes(con, path, TABLE, col["indic_nrg"], code["indic_nrg"], "indic_nrg")
    else:
        check_geo_codes(con, path, TABLE, col["partner"], code["partner"], "partner")
        check_energy_codes(con, path, TABLE, col["siec"], code["siec"], "siec")
        check_energy_codes(con, path, TABLE, col["unit"], code["unit"], "unit")
    dataset = _dataset(con, path, name, coifpm, code.get("siec"))

    period = "pe.period_code"
    value = number_sql(col["OBS_VALUE"])
    select = energy_select(
        {
            "source_format": "'eurostat_sdmx'",
            "dataset": dataset,
            "reporter_code": code["geo"],
            "partner_code": "NULL" if coifpm else code["partner"],
            "partner_label": "NULL",
            "product_code": code["crudeoil" if coifpm else "siec"],
            "indicator_code": code["indic_nrg" if coifpm else "unit"],
            **period_columns(period),
            "obs_value": value,
            "obs_flag": flag_sql(_flag_sql(name), value),
            "vintage": _vintage_sql(name),
            "source_url": "NULL",
            "source_line": "s.__line",
        },
        f"FROM {TABLE} s, LATERAL (SELECT {period_code_sql(text_sql(col['TIME_PERIOD']))} AS period_code) pe",
    )
    check_one_row_per_key(con, path, select, col["geo"])
    return ReadResult(select, rows_read=row_count(con, TABLE))


def _flag_sql(name: dict[str, str]) -> str:
    """OBS_FLAG's code; recent files mark confidentiality in CONF_STATUS instead: kept as 'c'."""
    flag = code_part_sql(name["obs_flag"]) if "obs_flag" in name else "NULL"
    if "conf_status" not in name:
        return flag
    status = code_part_sql(name["conf_status"])
    return (
        f"CASE WHEN {status} IN ({sql_list(CONFIDENTIAL_STATUS)}) AND coalesce({flag}, '') NOT LIKE '%c%' "
        f"THEN coalesce({flag}, '') || 'c' ELSE {flag} END"
    )


def _vintage_sql(name: dict[str, str]) -> str:
    stamp = name.get("last update") or name.get("last_update")
    return text_sql(stamp) if stamp else "NULL"


def _dataset(con, path: Path, name: dict[str, str], coifpm: bool, siec: str | None) -> str:
    """The dataset as a SQL expression: from DATAFLOW (or SDMX-CSV 2.0's STRUCTURE_ID) where the
    file has it, else from the dimensions."""
    flow_column = name.get("dataflow") or name.get("structure_id")
    if flow_column is None:
        if coifpm:
            return sql_string(COIFPM_DATASET)
        return single_siec_dataset(con, path, TABLE, siec, name["siec"])
    flow = f"lower(regexp_extract(s.{quoted(flow_column)}, '^(?:[A-Za-z0-9_]+:)?([A-Za-z0-9_]+)', 1))"
    first = con.execute(f"SELECT {flow} FROM {TABLE} s ORDER BY __line LIMIT 1").fetchall()[0][0]
    refuse_first(
        con,
        path,
        TABLE,
        f"{flow} IS DISTINCT FROM {sql_string(first)}",
        f"s.{quoted(flow_column)}",
        flow_column,
        f"one dataflow per file: line 2 is {first!r}, this line is",
    )
    expected = COIFPM_DATASET if coifpm else "nrg_ti_oil, nrg_ti_gas or nrg_ti_sff"
    known = first == COIFPM_DATASET if coifpm else bool(NRG_TI_DATASET.fullmatch(first or ""))
    if not known:
        raise RawFileError(
            path, f"dataflow {first!r} does not fit the columns: expected {expected}", row=2, column=flow_column
        )
    return sql_string(first)


def single_siec_dataset(con, path: Path, table: str, siec: str, column: str) -> str:
    """No DATAFLOW: the SIEC family names the dataset, and a file holds one family."""
    dataset = siec_dataset_sql(siec)
    refuse_first(
        con,
        path,
        table,
        f"({dataset}) IS NULL",
        siec,
        column,
        "SIEC code of no energy import dataset (expected O..., G..., C..., P... or S...)",
    )
    first_line, first = con.execute(f"SELECT __line, {dataset} FROM {table} s ORDER BY __line LIMIT 1").fetchall()[0]
    refuse_first(
        con,
        path,
        table,
        f"{dataset} <> {sql_string(first)}",
        siec,
        column,
        f"mixes SIEC families (one dataset per file): line {first_line} is {first}, this line has",
    )
    return sql_string(first)
