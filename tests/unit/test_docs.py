"""The README and docs/ hold together: every relative link and image resolves, anchors included."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from conftest import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def prose(text: str) -> str:
    """The text without fenced code blocks and inline code, where brackets are not links."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def links(page: Path) -> list[str]:
    return LINK.findall(prose(page.read_text(encoding="utf-8")))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup dropped, lower case, punctuation removed, spaces to hyphens."""
    text = re.sub(r"[`*]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    text = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def relative_links() -> list[tuple[Path, str]]:
    return [
        (page, target)
        for page in PAGES
        for target in links(page)
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE)
    ]  # http:, https:, mailto:


@pytest.mark.parametrize("page, target", relative_links(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_relative_link_resolves(page, target):
    path, _, anchor = target.partition("#")
    resolved = (page.parent / path).resolve() if path else page
    assert resolved.exists(), f"{page.relative_to(REPO)}: {target} -> {resolved} does not exist"
    if anchor and resolved.suffix == ".md":
        assert anchor in anchors(resolved), f"{page.relative_to(REPO)}: no heading #{anchor} in {resolved.name}"


def test_every_page_links_somewhere_and_the_readme_maps_the_docs():
    readme = set(links(REPO / "README.md"))
    for page in PAGES[1:]:
        assert f"docs/{page.name}" in readme, f"the README's map of the docs does not list docs/{page.name}"


def test_every_image_in_docs_img_is_shown_somewhere():
    shown = {(page.parent / target).resolve() for page in PAGES for target in links(page)}
    unused = [img.name for img in sorted((REPO / "docs" / "img").iterdir()) if img.resolve() not in shown]
    assert not unused, f"images referenced nowhere: {unused}"


def test_the_readme_fits_on_a_few_screens():
    # 200 lines, and since issue 12 the performance table it asked for
    assert len((REPO / "README.md").read_text(encoding="utf-8").splitlines()) <= 220


def test_paths_named_in_the_docs_exist():
    """Backticked repository paths (pipelines/..., tests/..., dbt_project/...) name real files or folders."""
    missing = []
    for page in PAGES:
        for span in re.findall(r"`([^`\s]+)`", FENCE.sub("", page.read_text(encoding="utf-8"))):
            path = span.split("::")[0].rstrip("/")
            if (
                re.match(r"^(pipelines|tests|dbt_project|benchmarks|raw|docs)/[\w./-]+$", path)
                and "*" not in path
                and "<" not in path
                and not (REPO / path).exists()
            ):
                missing.append(f"{page.name}: {span}")
    assert not missing, missing


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Why a pandas batch, not GE's SQL datasource on DuckDB",
            "why-a-pandas-batch-not-ges-sql-datasource-on-duckdb",
        ),
        ("`kzeu` commands", "kzeu-commands"),
        ("Write, audit, publish", "write-audit-publish"),
        ("`trade/`: Eurostat Comext (DS-045409)", "trade-eurostat-comext-ds-045409"),
        ("`bench_build.py`", "bench_buildpy"),  # underscores in code are kept
    ],
)
def test_slug_follows_github(text, expected):
    assert slug(text) == expected
