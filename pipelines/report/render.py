"""Figures and tables into one HTML page through the Jinja2 template (templates/report.html.j2)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import jinja2

from pipelines.report import (
    figures_diplomacy,
    figures_energy,
    figures_mirror,
    figures_relationship,
    figures_trade,
    tables,
)
from pipelines.report.figures import Figure

# In reading order: trade, energy, partners and money, diplomacy, then the relationship layer.
BUILDERS = (
    figures_trade.trade_monthly,
    figures_trade.hs27_share,
    figures_energy.crude_share,
    figures_energy.crude_tonnes,
    figures_mirror.mirror_gaps,
    figures_trade.kz_partners,
    figures_energy.fdi_stock,
    figures_trade.critical_raw_materials,
    figures_trade.sanctioned_goods,
    figures_diplomacy.diplomatic_timeline,
    figures_relationship.relationship_index,
    figures_relationship.event_study_fits,
    figures_relationship.lead_lag,
)

EMBED_OPTIONS = {"renderer": "svg", "actions": False, "loader": {"target": "_blank"}}


class ReportError(Exception):
    """A report that cannot be made, with a one-line reason."""


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script (vl-convert ships it; nothing is downloaded)."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    return vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert())


def script_json(value) -> str:
    """JSON safe inside a <script> element: no '</' can close it early."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = lambda value: jinja2.utils.markupsafe.Markup(script_json(value))
    return env


def collect(con) -> tuple[list[Figure], list[str]]:
    figures, missing = [], []
    for builder in BUILDERS:
        figure = builder(con)
        if figure is None:
            missing.append(builder.__name__.replace("_", " "))
            continue
        figure.provenance = tables.provenance(con, figure.sources)
        figures.append(figure)
    return figures, missing


def build_page(warehouse: Path, now: datetime) -> str:
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise ReportError(f"cannot open {warehouse} read-only: {str(exc).splitlines()[0]}") from exc
    try:
        figures, missing = collect(con)
        context = {
            "figures": figures,
            "missing": missing,
            "summary": tables.summary(con),
            "summary_provenance": tables.provenance(con, tables.RELATIONSHIP_SOURCES),
            "validations": tables.validations(con),
            "loads": tables.loads(con),
            "built_at": tables.built_at(con),
            "generated_at": now,
            "warehouse_name": warehouse.name,
            "embed_options": EMBED_OPTIONS,
        }
    except duckdb.Error as exc:
        raise ReportError(
            f"{warehouse.name}: {str(exc).splitlines()[0]} (is it a kzeu warehouse built by `make run`?)"
        ) from exc
    finally:
        con.close()
    if not figures:
        raise ReportError(f"{warehouse.name} holds no data for any figure of the report")
    page = (
        environment()
        .get_template("report.html.j2")
        .render(**context, vega_bundle=jinja2.utils.markupsafe.Markup(vega_bundle()))
    )
    return page
