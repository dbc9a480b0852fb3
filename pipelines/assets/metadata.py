"""Metadata helpers shared by the assets: small previews for the UI (tabulate comes with Dagster)."""

from __future__ import annotations

import dagster as dg


def table_preview(con, table: str, limit: int = 10, order_by: str = "") -> dg.MarkdownMetadataValue:
    frame = con.sql(f"SELECT * FROM {table} {order_by} LIMIT {int(limit)}").df()
    return dg.MetadataValue.md(frame.to_markdown(index=False))
