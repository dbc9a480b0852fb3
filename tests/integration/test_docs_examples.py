"""The SQL examples of the README and docs/ run on a built warehouse and still print what is shown.

An example is a ```sql block; where a ```text block follows it directly, that is the answer
`kzeu query` must print. `kzeu docs` writes the column catalogue of the same warehouse.
"""

from __future__ import annotations

import re

import duckdb
import pytest

from conftest import REPO
from pipelines.cli import main

pytestmark = pytest.mark.slow

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
EXAMPLE = re.compile(r"^```sql\n(.*?)^```\n(?:```text\n(.*?)^```)?", re.MULTILINE | re.DOTALL)


def examples() -> list[tuple[str, str, str | None]]:
    found = []
    for page in PAGES:
        for number, match in enumerate(EXAMPLE.finditer(page.read_text(encoding="utf-8")), start=1):
            found.append((f"{page.name}#{number}", match.group(1), match.group(2)))
    return found


EXAMPLES = examples()


def test_the_readme_has_two_examples_with_their_answers():
    readme = [e for e in EXAMPLES if e[0].startswith("README.md#")]
    assert len(readme) >= 2 and all(answer for _, _, answer in readme)


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


@pytest.mark.parametrize("where, sql, answer", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_runs_and_prints_what_the_docs_show(built, monkeypatch, capsys, where, sql, answer):
    warehouse = built / "warehouse" / "kzeu.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(sql).fetchall(), f"{where}: no rows"
    if answer is None:
        return
    monkeypatch.setenv("KZEU_WAREHOUSE", str(warehouse))
    assert main(["query", "--max-rows", "1000", sql]) == 0, capsys.readouterr().err
    assert lines(capsys.readouterr().out) == lines(answer), f"{where}: the answer changed"


def test_kzeu_docs_catalogues_the_built_marts(built, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("KZEU_WAREHOUSE", str(built / "warehouse" / "kzeu.duckdb"))
    site = tmp_path / "catalogue.html"
    assert main(["docs", "--out", str(site)]) == 0
    assert capsys.readouterr().out.strip() == str(site)
    html = site.read_text(encoding="utf-8")
    # the catalogue part (read from the warehouse), not only the manifest (read from the project)
    assert '"metadata": {"type": "BASE TABLE", "schema": "marts", "name": "fct_trade_monthly"' in html
    assert '"value_eur": {"type": "DOUBLE"' in html
