"""Metadata helpers shared by the assets: small previews for the UI (tabulate comes with Dagster).

A mart preview shows a slice someone would look at first (the latest year, the EU27 and Kazakhstan
where the table has those keys) with numbers written for people: 17,512,334,000 rather than
1.7512334e+10, and NULL rather than NaN.
"""

from __future__ import annotations

import math

import dagster as dg

# The slice a mart preview shows first, where the table has these columns (the first found is used).
EU27_CODES = ("EU27_2020", "EU27", "EU")
KAZAKHSTAN = "KZ"
TIME_COLUMNS = ("year", "period_month", "quarter_start", "period_start", "event_date", "event_day")
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


def table_preview(con, table: str, limit: int = 10, order_by: str = "") -> dg.MarkdownMetadataValue:
    frame = con.sql(f"SELECT * FROM {table} {order_by} LIMIT {int(limit)}").df()
    return dg.MetadataValue.md(frame.to_markdown(index=False))


def readable_number(value, column_type: str) -> str:
    """A cell as people read it: NULL, thousands separators on large amounts, four significant digits
    on shares and ratios; integers (years, counts, ranks) as they are."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NULL"
    if not column_type.upper().startswith(FLOAT_TYPES):
        return str(value)
    number = float(value)
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if number == 0 or abs(number) >= 1000:
        return f"{number:,.0f}"
    return f"{number:.4g}"


def slice_filters(columns: dict[str, str]) -> list[str]:
    """The EU27-and-Kazakhstan filter a mart supports: reporter EU27, partner (or supplier) KZ."""
    filters = []
    if "reporter_code" in columns:
        filters.append("reporter_code IN (" + ", ".join(f"'{code}'" for code in EU27_CODES) + ")")
    for partner in ("partner_code", "supplier_code"):
        if partner in columns:
            filters.append(f"{partner} = '{KAZAKHSTAN}'")
            break
    return filters


def most_complete_recent_year(densities: dict[int, float], tolerance: float = 0.9) -> int | None:
    """The latest year whose share of filled cells is close to the best year's: an incomplete last
    year (eight months of exports, no imports yet) gives way to the year before it."""
    if not densities:
        return None
    best = max(densities.values())
    return max(year for year, density in densities.items() if density >= tolerance * best)


def year_expression(columns: dict[str, str]) -> str | None:
    time = next((c for c in TIME_COLUMNS if c in columns), None)
    return None if time is None else time if time == "year" else f"year({time})"


def preview_sql(table: str, columns: dict[str, str], year: int | None, limit: int) -> str:
    """SELECT of one year (of the table's first time column) within the EU27/KZ filters."""
    time = next((c for c in TIME_COLUMNS if c in columns), None)
    where = slice_filters(columns)
    if year is not None and time is not None:
        where.append(f"{year_expression(columns)} = {int(year)}")
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    every_column = ", ".join(str(position) for position in range(1, len(columns) + 1))  # a stable order
    order = f" ORDER BY {time} DESC, {every_column}" if time else f" ORDER BY {every_column}"
    return f"SELECT * FROM {table}{condition}{order} LIMIT {int(limit)}"


def year_densities(con, table: str, columns: dict[str, str]) -> dict[int, float]:
    """year -> share of non-NULL cells in the EU27/KZ slice."""
    year = year_expression(columns)
    if year is None:
        return {}
    where = slice_filters(columns)
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    rows = con.execute(f"SELECT {year}, count(*), count(COLUMNS(*)) FROM {table}{condition} GROUP BY 1").fetchall()
    return {row[0]: sum(row[2:]) / (row[1] * len(columns)) for row in rows if row[0] is not None}


def markdown_table(names: list[str], types: list[str], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for row in rows:
        cells = (readable_number(value, kind).replace("|", "\\|") for value, kind in zip(row, types, strict=True))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def mart_preview(con, table: str, limit: int = 10) -> dg.MarkdownMetadataValue:
    """The most recent well-filled year for the EU27 and Kazakhstan (or for every row where the mart
    has no such keys), numbers readable."""
    columns = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall())
    if slice_filters(columns) and not con.execute(preview_sql(table, columns, None, 1)).fetchall():
        columns_for_slice = {c: t for c, t in columns.items() if c not in ("reporter_code", "partner_code")}
    else:
        columns_for_slice = columns
    filters = slice_filters(columns_for_slice)
    year = most_complete_recent_year(year_densities(con, table, columns_for_slice))
    sql = preview_sql(table, columns_for_slice, year, limit).replace("SELECT *", "SELECT " + ", ".join(columns), 1)
    rows = con.execute(sql).fetchall()
    caption = ("Latest well-filled year" if year is not None else "First rows") + (
        ", EU27 and Kazakhstan" if filters else ""
    )
    table_md = markdown_table(list(columns), list(columns.values()), rows)
    return dg.MetadataValue.md(
        f"{caption}{f' ({year})' if year is not None else ''}, at most {limit} rows:\n\n{table_md}"
    )
