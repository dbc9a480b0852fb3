"""The HTML report, made from the published warehouse (read-only) after each publish."""

import dagster as dg

from pipelines.assets.catalog import OWNERS, code_references
from pipelines.assets.publish import published_warehouse
from pipelines.settings import REPO_ROOT, load_settings

REPORT_CODE = REPO_ROOT / "pipelines" / "report" / "__init__.py"


@dg.asset(
    key=dg.AssetKey(["warehouse", "report"]),
    group_name="publish",
    kinds={"html"},
    owners=OWNERS,
    tags={"layer": "published"},
    metadata={
        "dagster/code_references": code_references(
            [(REPO_ROOT / "pipelines" / "report" / "__init__.py", "the report", None)]
        )
    },
    deps=[published_warehouse],
    description=(
        "One self-contained HTML report of the relationship (warehouse/report.html beside KZEU_WAREHOUSE): "
        "charts with their data and Vega's JavaScript inlined, so it opens offline; read from the published "
        "warehouse, opened read-only (pipelines/report). `kzeu report --out PATH` writes it elsewhere."
    ),
)
def report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from pipelines.report import write_report  # Altair and vl-convert load only when the report is made

    settings = load_settings()
    path = write_report(settings.warehouse, settings.warehouse.parent / "report.html")
    context.log.info(f"wrote {path}")
    return dg.MaterializeResult(
        metadata={"path": dg.MetadataValue.path(str(path)), "size_mib": round(path.stat().st_size / 2**20, 2)}
    )
