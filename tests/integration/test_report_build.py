"""The report of a whole-graph build: one self-contained file, its titles and provenance recomputed
from the warehouse, and the same bytes from two builds of the same raw files but for one line.

Its generation time and size are measured in benchmarks/bench_report.py, not here."""

from __future__ import annotations

import difflib
import re
import shutil

import pytest

from warehouse_build import query, rebuild


@pytest.fixture(scope="module")
def report_html(built, tmp_path_factory):
    from pipelines.report import write_report

    out = tmp_path_factory.mktemp("report") / "report.html"
    write_report(built / "warehouse" / "kzeu.duckdb", out)
    return out.read_text(encoding="utf-8")


def test_the_build_writes_the_report_beside_the_warehouse(built):
    page = (built / "warehouse" / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'class="vl-spec"' in page


def test_self_contained(report_html):
    # nothing loaded from elsewhere: no external script, stylesheet, image or frame (the inlined scripts'
    # own text is left out of the search: Vega's bundle holds HTML templates of its own)
    assert not re.search(r"<script[^>]*\ssrc=", report_html)
    markup = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", report_html, flags=re.DOTALL)
    assert not re.search(r"<(img|iframe|link|object|embed)\b", markup)
    assert "vegaEmbed" in report_html
    assert len(report_html.encode()) < 5 * 2**20


def test_at_least_ten_figures_each_with_its_metadata(report_html):
    figures = re.findall(r'<section class="figure" id="([\w-]+)">', report_html)
    assert len(figures) >= 10, figures
    assert len(re.findall(r'<script type="application/json" class="vl-spec"', report_html)) == len(figures)
    for label in ("Sources", "Coverage", "Units", "Method"):
        assert report_html.count(f"<dt>{label}</dt>") == len(figures)


def test_titles_state_figures_computed_from_the_warehouse(built, report_html):
    (year, share, lower_bound), *_ = query(
        built,
        "SELECT year, share, share_is_lower_bound FROM marts.fct_energy_supplier_share_annual "
        "WHERE reporter_code = 'EU' AND product_code = 'crude_oil' AND supplier_code = 'KZ' AND basis = 'volume' "
        "ORDER BY year DESC LIMIT 1",
    )
    bound = " at least" if lower_bound else ""
    assert (
        f"Kazakhstan supplied{bound} {share * 100:.1f} % of the EU&#39;s crude imports by volume in {year}"
        in report_html
    )
    (nl_share, fdi_year), *_ = query(
        built,
        "SELECT netherlands_share_of_eu27_inward_stock, year FROM marts.fct_fdi_kz_eu_share_annual "
        "WHERE netherlands_share_of_eu27_inward_stock IS NOT NULL ORDER BY year DESC LIMIT 1",
    )
    assert (
        f"The Netherlands held {nl_share * 100:.1f} % of the EU27&#39;s FDI stock in Kazakhstan in {fdi_year}"
        in report_html
    )


def test_provenance_names_the_raw_files_and_their_sha256(built, report_html):
    for file, sha in query(built, "SELECT DISTINCT _source_file, left(_source_sha256, 12) FROM raw.trade_flows"):
        assert f'<td class="col-file">{file}</td><td class="col-sha256">{sha}</td>' in report_html
    for (suite,) in query(built, "SELECT DISTINCT suite FROM audit.validation_results"):
        assert f'<td class="col-suite">{suite}</td>' in report_html


def test_two_builds_of_the_same_raw_files_differ_in_one_line(built, report_html, tmp_path):
    """A second build over a copy of the first (same raw files, same warehouse state): only the
    generated-at line, which also says when the warehouse was built, may differ."""
    from pipelines.report import write_report

    shutil.copytree(built / "raw", tmp_path / "raw")
    shutil.copytree(built / "warehouse", tmp_path / "warehouse", ignore=shutil.ignore_patterns(".build", "*.html"))
    # forced: unforced, the build sees nothing changed and publishes nothing, which would prove nothing here
    result = rebuild(tmp_path, force=True)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    assert any(
        e.asset_key and e.asset_key.path == ["warehouse", "published"]
        for e in result.get_asset_materialization_events()
    )
    second = write_report(tmp_path / "warehouse" / "kzeu.duckdb", tmp_path / "again.html").read_text(encoding="utf-8")
    changed = [
        line
        for line in difflib.unified_diff(report_html.splitlines(), second.splitlines(), lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    # the generated-at line (minutes) is the one line allowed to differ; it is equal within the same minute
    assert len(changed) in (0, 2), changed[:6]
    assert all('id="generated"' in line for line in changed)
