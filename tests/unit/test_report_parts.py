"""The report's pure parts: numbers for people, JSON safe inside a script element, and `kzeu report`'s
one-line reasons (the whole report on a built warehouse: tests/integration/test_report_build.py)."""

import json

import duckdb
import pytest

from pipelines.cli import main
from pipelines.report import format as fmt
from pipelines.report.render import script_json


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        (12_100_000_000, "€", "€12.1 bn"),
        (-16_590_200_000, "€", f"{fmt.MINUS}€16.6 bn"),
        (540_000_000, "€", "€540 m"),
        (37_866_160, "$", "$37.9 m"),
        (950, "€", "€950"),
        (None, "€", fmt.DASH),
        (float("nan"), "€", fmt.DASH),
    ],
)
def test_money(value, currency, text):
    assert fmt.money(value, currency) == text


def test_percent_and_number():
    assert fmt.percent(0.0734) == "7.3 %"
    assert fmt.percent(0.2682, 2) == "26.82 %"
    assert fmt.percent(-0.05) == f"{fmt.MINUS}5.0 %"
    assert fmt.percent(None) == fmt.DASH
    assert fmt.number(36573.674, 1, "kt") == "36,573.7 kt"


def test_script_json_cannot_close_its_script_element():
    text = script_json({"title": "</script><script>alert(1)</script>", "b": 1, "a": [1.5]})
    assert "</" not in text
    assert json.loads(text) == {"title": "</script><script>alert(1)</script>", "b": 1, "a": [1.5]}
    assert text.index('"a"') < text.index('"b"')  # sorted keys: the same warehouse, the same bytes


def one_line_error(capsys):
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def test_report_without_a_warehouse(settings_env, capsys):
    assert main(["report"]) == 1
    assert "no published warehouse" in one_line_error(capsys)


def test_report_on_a_warehouse_without_the_marts(settings_env, capsys, tmp_path):
    settings_env.warehouse.parent.mkdir(parents=True)
    with duckdb.connect(str(settings_env.warehouse)) as con:
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT 1 AS x")
    assert main(["report", "--out", str(tmp_path / "r.html")]) == 1
    error = one_line_error(capsys)
    assert error.startswith("kzeu report: kzeu.duckdb:") and "make run" in error
    assert not (tmp_path / "r.html").exists()
