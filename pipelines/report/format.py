"""Numbers for people: €12.1 bn, $40.0 bn, 7.3 %, 36.6 Mt. NULL stays a dash, never a zero."""

from __future__ import annotations

import math

DASH = "–"
MINUS = "−"  # a real minus sign, which does not break from its number


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value, currency: str = "€") -> str:
    """An amount in full units (euro, dollars) as thousands, millions or billions: €12.1 bn, −€540 m."""
    if _missing(value):
        return DASH
    sign, value = (MINUS if value < 0 else ""), abs(float(value))
    for divisor, unit in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if value >= divisor:
            scaled = value / divisor
            return f"{sign}{currency}{scaled:,.{0 if scaled >= 100 else 1}f} {unit}"
    return f"{sign}{currency}{value:,.0f}"


def percent(share, digits: int = 1) -> str:
    """A share 0..1 as a percentage: 0.0734 -> '7.3 %'."""
    if _missing(share):
        return DASH
    text = f"{float(share) * 100:,.{digits}f} %"
    return text.replace("-", MINUS)


def number(value, digits: int = 0, unit: str = "") -> str:
    if _missing(value):
        return DASH
    text = f"{float(value):,.{digits}f}".replace("-", MINUS)
    return f"{text} {unit}".strip()


def month(value) -> str:
    """A date as 'Nov 2022'."""
    return DASH if value is None else f"{value:%b %Y}"
