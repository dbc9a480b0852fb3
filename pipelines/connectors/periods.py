"""Partition keys of the refresh functions: a month or a year (Eurostat, Comext), a day (GDELT)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_PERIOD = re.compile(r"(\d{4})(?:-?(\d{2}))?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Period:
    """A calendar year, or one month of it."""

    year: int
    month: int | None = None

    @classmethod
    def parse(cls, value: str | date | Period) -> Period:
        """'2024', '2024-03', '202403', or a date or 'YYYY-MM-DD' (a Dagster monthly partition key:
        its month)."""
        if isinstance(value, Period):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month)
        if _DAY.fullmatch(str(value).strip()):
            return cls.parse(parse_day(value))
        match = _PERIOD.fullmatch(str(value).strip())
        if not match:
            raise ValueError(f"period {value!r}: expected YYYY or YYYY-MM")
        year, month = int(match.group(1)), int(match.group(2)) if match.group(2) else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"period {value!r}: month {month} is not 01..12")
        return cls(year, month)

    @property
    def label(self) -> str:
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"

    def window(self, monthly: bool) -> tuple[str, str]:
        """startPeriod and endPeriod in the dataset's own time format (years or months)."""
        if not monthly:
            return str(self.year), str(self.year)
        if self.month is None:
            return f"{self.year}-01", f"{self.year}-12"
        return self.label, self.label

    def label_for(self, monthly: bool) -> str:
        """The period a download covers: an annual dataset is fetched for the whole year of a month."""
        return self.label if monthly else str(self.year)

    @property
    def comext_bulk_code(self) -> str:
        """YYYYMM, or YYYY52 for the annual file (Comext's code for the whole year)."""
        return f"{self.year}52" if self.month is None else f"{self.year}{self.month:02d}"


def parse_day(value: str | date) -> date:
    """'2024-03-15', '20240315' or a date (a daily partition key)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for layout in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValueError(f"day {value!r}: expected YYYY-MM-DD")
