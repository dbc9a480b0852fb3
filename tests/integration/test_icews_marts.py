"""The ICEWS sample mart counts Kazakhstan's events with the EU per quarter as the sample holds them,
with the share of each quarter the sample covers.

Expected counts are recomputed with the csv module from the raw snapshot and the seeds (actors'
countries, EU accession dates, coverage windows), not through DuckDB or dbt.
"""

import csv
import gzip
import io
from collections import Counter
from datetime import date, timedelta

import pytest

from conftest import REPO
from warehouse_build import query

pytestmark = pytest.mark.slow

ICEWS = REPO / "raw" / "events" / "icews_kazakhstan_events_sample_2005-2018.tsv.gz"
SEEDS = REPO / "dbt_project" / "seeds"


def seed(name: str) -> list[dict]:
    with open(SEEDS / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def sample_events() -> set[tuple]:
    """Distinct (source, text, target, day): an event held by two subsets counts once."""
    with gzip.open(ICEWS, "rb") as handle:
        rows = csv.DictReader(
            io.StringIO(handle.read().decode("utf-8"), newline=""), delimiter="\t", quoting=csv.QUOTE_NONE
        )
        return {(r["source_actor"], r["event_text_cameo_label"], r["target_actor"], r["event_date"]) for r in rows}


def side(actor: str, day: str, actors: dict, accession: dict) -> str:
    placed = actors[actor]
    if placed["country_code"] == "KZ":
        return "KZ"
    if placed["is_eu_institution"] == "true":
        return "EU"
    joined = accession.get(placed["country_code"])
    return placed["country_code"] if joined and day >= joined else "other"


def dyad_counts() -> Counter:
    actors = {row["actor_label"]: row for row in seed("icews_actors")}
    accession = {row["iso2_code"]: row["eu_accession_date"] for row in seed("eu27_member_states")}
    counts = Counter()
    for source, _, target, day in sample_events():
        sides = {side(source, day, actors, accession), side(target, day, actors, accession)}
        dyad = "KZ-KZ" if sides == {"KZ"} else "KZ-other" if sides == {"KZ", "other"} else "KZ-EU"
        assert "KZ" in sides  # every event of the sample has a Kazakh actor
        counts[(quarter_start(date.fromisoformat(day)), dyad)] += 1
    return counts


def coverage() -> dict:
    """quarter start -> mean over its days of the highest share of a window covering the day."""
    windows = [
        (date.fromisoformat(w["window_start"]), date.fromisoformat(w["window_end"]), float(w["sample_share"]))
        for w in seed("icews_sample_coverage")
    ]
    shares = Counter()
    day = min(w[0] for w in windows)
    while day <= max(w[1] for w in windows):
        share = max((s for start, end, s in windows if start <= day <= end), default=None)
        if share is not None:
            shares[quarter_start(day)] += share
        day += timedelta(days=1)
    return {q: shares[q] / days_in_quarter(q) for q in shares}


def days_in_quarter(start: date) -> int:
    following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return (following - start).days


def test_kz_eu_events_per_quarter_as_the_sample_holds_them(built):
    expected = dyad_counts()
    rows = query(built, "SELECT quarter_start, dyad, events FROM marts.fct_diplomatic_icews_sample_quarterly")
    assert {(q, d): n for q, d, n in rows if n} == dict(expected)
    kz_eu = sum(n for (_, dyad), n in expected.items() if dyad == "KZ-EU")
    assert kz_eu == sum(n for _, d, n in rows if d == "KZ-EU") > 0
    assert sum(expected.values()) == len(sample_events())


def test_every_quarter_carries_its_sample_coverage_and_the_sample_label(built):
    expected = coverage()
    rows = query(
        built,
        """SELECT quarter_start, dyad, sample_coverage, is_sample
                           FROM marts.fct_diplomatic_icews_sample_quarterly""",
    )
    assert {q for q, *_ in rows} == set(expected)
    assert Counter(d for _, d, _, _ in rows) == {d: len(expected) for d in ("KZ-EU", "KZ-other", "KZ-KZ")}
    for quarter, _, share, is_sample in rows:
        assert is_sample and share == pytest.approx(expected[quarter], rel=1e-12)
    assert expected[date(2014, 10, 1)] == 1  # all of ICEWS14
    assert expected[date(2010, 1, 1)] == pytest.approx(0.2, abs=0.001)  # "about a fifth of 2005-2015"


def test_the_sample_is_never_counted_as_gdelt_or_catalogue_events(built):
    origins = {r[0] for r in query(built, "SELECT DISTINCT origin FROM marts.fct_diplomatic_events")}
    assert origins <= {"catalogue", "gdelt"}
