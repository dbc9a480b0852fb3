"""What a figure of the report is: a chart with a title stating its finding, and what it rests on.

Each builder (pipelines/report/figures_*.py) takes a read-only connection to the published warehouse,
queries the marts, computes its title from the data and returns a Figure, or None where the marts
hold nothing to show (the report then says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Source:
    """Rows of a raw table (`raw.<table>`) a figure rests on: where they came from is read from the
    table's own `_source_file` and `_source_sha256`."""

    table: str
    where: str = "TRUE"


@dataclass
class Figure:
    id: str
    title: str
    spec: dict
    datasets: str
    coverage: str
    units: str
    method: str
    marts: tuple[str, ...]
    sources: tuple[Source, ...]
    provenance: list[dict] = field(default_factory=list)


def frame(con, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def records(df: pd.DataFrame, digits: int = 6) -> pd.DataFrame:
    """Floats rounded (smaller, stable specs) and dates as ISO strings (no time zones in the data)."""
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(digits)
        elif pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif out[column].dtype == object and len(out) and hasattr(out[column].dropna().iloc[:1].squeeze(), "isoformat"):
            out[column] = out[column].map(lambda v: v.isoformat() if v is not None else None)
    return out
