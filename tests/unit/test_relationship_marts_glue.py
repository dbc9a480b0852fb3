"""The glue of the relationship marts (pipelines/relationship/marts.py) on small frames shaped as dbt hands them
over: cases run in order, a control is rebased to its pre-milestone mean, bad input names series and milestone,
and the index tables come straight from the components."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipelines.relationship.composite_index import composite_index
from pipelines.relationship.marts import (
    REBASED_UNIT,
    event_study_rows,
    index_rows,
    index_sensitivity_rows,
    index_weight_rows,
    lead_lag_results,
)
from pipelines.relationship.periods import SeriesInputError

MONTHS = pd.date_range("2018-01-01", "2023-12-01", freq="MS")
MILESTONES = pd.DataFrame(
    {
        "milestone_id": ["epca_in_force", "raw_materials_partnership"],
        "milestone_date": pd.to_datetime(["2020-03-01", "2022-11-07"]),
        "milestone": ["EPCA enters into force", "raw-materials partnership"],
        "source_url": ["https://example.org/epca", "https://example.org/raw-materials"],
    }
)
CONFOUNDERS = pd.DataFrame(
    {
        "confounder_id": ["covid_oil_crash"],
        "name": ["COVID-19 lockdowns and the oil-price crash"],
        "start_date": pd.to_datetime(["2020-03-01"]),
        "end_date": pd.to_datetime(["2020-12-31"]),
    }
)


def monthly(series_id: str, values, months=MONTHS, unit: str = "thousand barrels") -> pd.DataFrame:
    return pd.DataFrame(
        {"series_id": series_id, "frequency": "monthly", "period_start": months, "series_value": values, "unit": unit}
    )


def simulated(seed: int, shift: float, level: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    after = (MONTHS >= "2022-12-01").astype(float)
    return level + 0.1 * np.arange(len(MONTHS)) + shift * after + rng.normal(0, 1, len(MONTHS))


def cases(*rows) -> pd.DataFrame:
    columns = ["case_id", "milestone_id", "series_id", "control_series_id", "window_before", "window_after"]
    return pd.DataFrame(rows, columns=columns)


SERIES = pd.concat(
    [monthly("treated_kbbl", simulated(1, 10.0, 100.0)), monthly("control_kbbl", simulated(2, 0.0, 300.0))],
    ignore_index=True,
)


def test_segmented_and_difference_rows_per_case():
    rows = event_study_rows(
        SERIES,
        cases(("b_case", "raw_materials_partnership", "treated_kbbl", "control_kbbl", 24, 13)),
        MILESTONES,
        CONFOUNDERS,
    )
    assert list(rows["estimator"]) == ["difference_vs_control", "segmented"]
    segmented = rows.set_index("estimator").loc["segmented"]
    assert segmented["level_change_ci_low"] < 10 < segmented["level_change_ci_high"]
    assert segmented["unit"] == "thousand barrels" and segmented["first_treated_period"] == "2022-12"
    difference = rows.set_index("estimator").loc["difference_vs_control"]
    # both rebased to 100 = their pre-milestone mean: +10 on the treated level is 1000 / that mean index points
    assert difference["unit"] == REBASED_UNIT and difference["control"] == "control_kbbl"
    treated = SERIES[SERIES["series_id"] == "treated_kbbl"].set_index("period_start")["series_value"]
    expected = 1000 / treated.loc["2020-12-01":"2022-11-01"].mean()
    assert difference["level_change_ci_low"] < expected < difference["level_change_ci_high"]
    assert set(rows["case_id"]) == {"b_case"} and set(rows["milestone_id"]) == {"raw_materials_partnership"}
    assert set(rows["milestone_source_url"]) == {"https://example.org/raw-materials"}


def test_a_confounder_at_the_milestone_cannot_be_separated():
    rows = event_study_rows(
        SERIES, cases(("a_case", "epca_in_force", "treated_kbbl", None, 24, 24)), MILESTONES, CONFOUNDERS
    )
    assert not rows["separable"].iloc[0]
    assert "cannot separate EPCA enters into force" in rows["caveat"].iloc[0]


def test_a_series_too_short_for_the_window_names_series_and_milestone():
    with pytest.raises(SeriesInputError, match=r"'treated_kbbl', milestone 'EPCA enters into force'.*too short"):
        event_study_rows(SERIES, cases(("a", "epca_in_force", "treated_kbbl", None, 36, 24)), MILESTONES, CONFOUNDERS)


def test_a_milestone_outside_the_data_fails():
    short = SERIES[SERIES["period_start"] < "2022-06-01"]
    with pytest.raises(SeriesInputError, match=r"raw-materials partnership.*outside the data"):
        event_study_rows(
            short, cases(("a", "raw_materials_partnership", "treated_kbbl", None, 24, 6)), MILESTONES, CONFOUNDERS
        )


def test_a_control_too_short_fails_before_any_rebasing():
    series = pd.concat([SERIES[SERIES["series_id"] == "treated_kbbl"], monthly("late", np.ones(12), MONTHS[-12:])])
    with pytest.raises(SeriesInputError, match=r"series 'late'.*outside the data|series 'late'.*too short"):
        event_study_rows(series, cases(("a", "epca_in_force", "treated_kbbl", "late", 24, 24)), MILESTONES, CONFOUNDERS)


def test_unknown_series_and_milestone_are_named():
    with pytest.raises(SeriesInputError, match="'nowhere' is not in int_relationship__series"):
        event_study_rows(SERIES, cases(("a", "epca_in_force", "nowhere", None, 24, 24)), MILESTONES, CONFOUNDERS)
    with pytest.raises(SeriesInputError, match="'pca' is not in seed relationship_milestones"):
        event_study_rows(SERIES, cases(("a", "pca", "treated_kbbl", None, 24, 24)), MILESTONES, CONFOUNDERS)


COMPONENTS = pd.DataFrame(
    [
        (year, name, group, value)
        for year in range(2010, 2020)
        for name, group, value in (
            ("trade_a", "trade", 100 + 3 * (year - 2010) + (year % 3)),
            ("trade_b", "trade", 0.3 + 0.01 * ((year * 7) % 5)),
            ("energy", "energy", 0.05 + 0.002 * (year - 2010)),
            ("diplomacy", "diplomacy", float((year * 5) % 4)),
        )
    ],
    columns=["year", "component", "component_group", "component_value"],
).assign(orientation=1)


def test_index_tables_come_from_the_components():
    reference = composite_index(
        COMPONENTS.rename(columns={"year": "period", "component_group": "group", "component_value": "value"})[
            ["period", "component", "value", "orientation", "group"]
        ]
    )
    sensitivity = index_sensitivity_rows(COMPONENTS)
    expected = reference.sensitivity.rename(columns={"period": "year"})
    pd.testing.assert_frame_equal(
        sensitivity.reset_index(drop=True), expected.sort_values(["year", "normalisation"], ignore_index=True),
        check_dtype=False,
    )  # fmt: skip
    index = index_rows(COMPONENTS)
    assert index["is_reference"].sum() == 10 and set(index["years_ranked"]) == {10}
    weights = index_weight_rows(COMPONENTS)
    assert weights.groupby("scheme")["weight"].sum().round(12).eq(1).all()
    assert weights.loc[weights["scheme"] != "pca", "pca_explained_share"].isna().all()


def test_lead_lag_pairs_need_one_frequency():
    annual = pd.DataFrame(
        {
            "series_id": "diplomacy",
            "frequency": "annual",
            "period_start": pd.date_range("1992-01-01", periods=32, freq="YS"),
            "series_value": np.arange(32.0) % 5,
            "unit": "score",
        }
    )
    pairs = pd.DataFrame(
        {"pair_id": ["p"], "leader_series_id": ["diplomacy"], "follower_series_id": ["treated_kbbl"], "max_lag": [8]}
    )
    with pytest.raises(SeriesInputError, match="the leader is annual, the follower monthly"):
        lead_lag_results(pd.concat([annual, SERIES]), pairs)
