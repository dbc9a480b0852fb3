"""Series on a regular calendar: a (period, value) frame becomes a pandas Series indexed by Period.

The marts hand over periods as DuckDB gives them: a DATE (the first day of the month, quarter or
year), an integer year, or a pandas Period. One conversion here, so that every function in the layer
counts periods the same way and names the series in every error.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Frequency = Literal["monthly", "quarterly", "annual"]
PANDAS_FREQUENCY: dict[str, str] = {"monthly": "M", "quarterly": "Q", "annual": "Y"}
PERIOD_WORD: dict[str, str] = {"monthly": "months", "quarterly": "quarters", "annual": "years"}
SERIES_COLUMNS = ("period", "value")


class SeriesInputError(ValueError):
    """A series the layer cannot use; the message names the series (and the milestone where there is one)."""


def check_frequency(frequency: str) -> str:
    if frequency not in PANDAS_FREQUENCY:
        raise ValueError(f"frequency must be one of {sorted(PANDAS_FREQUENCY)}, not {frequency!r}")
    return frequency


def to_periods(values: pd.Series | pd.Index, frequency: Frequency) -> pd.PeriodIndex:
    """Dates, integer years or Periods as a PeriodIndex of the frequency (a date maps to the period holding it)."""
    freq = PANDAS_FREQUENCY[check_frequency(frequency)]
    values = pd.Series(values).reset_index(drop=True)
    if isinstance(values.dtype, pd.PeriodDtype):
        return pd.PeriodIndex(values).asfreq(freq)
    if pd.api.types.is_integer_dtype(values.dtype):
        if frequency != "annual":
            raise ValueError(f"integer periods are years; a {frequency} series needs dates or Periods")
        return pd.PeriodIndex([pd.Period(year=int(v), freq=freq) for v in values], freq=freq)
    return pd.PeriodIndex(pd.to_datetime(values).dt.to_period(freq))


def to_period(value: object, frequency: Frequency) -> pd.Period:
    """One date (or year, or Period) as the period of the frequency that holds it."""
    return to_periods(pd.Series([value]), frequency)[0]


def regular_series(frame: pd.DataFrame, frequency: Frequency, *, name: str, context: str = "") -> pd.Series:
    """The (period, value) frame as a float Series on a complete PeriodIndex from its first to last period.

    Periods absent from the frame, and NULL or non-finite values, are NaN in the result: the caller
    decides which span must be complete (an event window, the overlap of two series). Duplicated
    periods are an error, since no rule here could say which value is right.
    """
    where = f"series {name!r}{context}"
    missing = [c for c in SERIES_COLUMNS if c not in frame.columns]
    if missing:
        raise SeriesInputError(f"{where}: the frame needs columns {list(SERIES_COLUMNS)}; missing {missing}")
    if frame.empty:
        raise SeriesInputError(f"{where}: the series is empty")
    periods = to_periods(frame["period"], frequency)
    values = pd.Series(pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float), index=periods)
    duplicated = periods[periods.duplicated()].unique()
    if len(duplicated):
        raise SeriesInputError(f"{where}: duplicated periods {format_periods(duplicated)}")
    values = values.sort_index()
    values[~np.isfinite(values.to_numpy())] = np.nan
    full = pd.period_range(values.index.min(), values.index.max(), freq=PANDAS_FREQUENCY[frequency])
    return values.reindex(full)


def missing_periods(series: pd.Series) -> pd.PeriodIndex:
    return pd.PeriodIndex(series.index[series.isna().to_numpy()])


def format_periods(periods: pd.Index, limit: int = 6) -> str:
    """A short list for an error message: the first few periods and how many more."""
    shown = ", ".join(str(p) for p in list(periods)[:limit])
    more = len(periods) - limit
    return f"{shown} (and {more} more)" if more > 0 else shown


def periods_between(start: pd.Period, end: pd.Period) -> int:
    """end - start counted in periods of their (common) frequency; negative when end is earlier."""
    return int(end.ordinal - start.ordinal)
