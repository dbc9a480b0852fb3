"""The HTML report of the published warehouse: one self-contained file that works offline.

Pure functions: queries (read-only, on the published file) -> frames -> Altair charts (Vega-Lite specs)
-> one page from a Jinja2 template, with Vega's JavaScript (vl-convert's bundle) and every chart's data
inlined, so nothing is fetched when it is viewed. The page is deterministic for a given warehouse:
specs are serialised with sorted keys and rounded numbers, and the only line that changes between two
builds of the same raw files is the one saying when it was generated and when the warehouse was built.

`kzeu report` (pipelines/cli.py) and the Dagster asset `report` (pipelines/assets/report.py) call
`write_report`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from pipelines.report.render import ReportError, build_page

__all__ = ["ReportError", "build_page", "write_report"]


def write_report(warehouse: Path, out: Path, now: datetime | None = None) -> Path:
    """Build the page from the published warehouse (opened read-only) and replace `out` atomically."""
    if not warehouse.exists():
        raise ReportError(f"no published warehouse at {warehouse}: run `make run` (or `kzeu build`) first")
    page = build_page(warehouse, now or datetime.now(UTC))
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    temporary.write_text(page, encoding="utf-8")
    os.replace(temporary, out)  # a browser holding the old page never reads half a file
    return out
