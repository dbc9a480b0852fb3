"""Lead-lag on simulated series: when diplomacy leads trade by two quarters the cross-correlation peaks
at lag +2 and Granger finds diplomacy -> trade only; on independent noise the band is crossed about as
often as chance allows. Every simulation has a fixed seed, so each test is deterministic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipelines.relationship.lead_lag import (
    CCF_COLUMNS,
    GRANGER_COLUMNS,
    TRANSFORM_COLUMNS,
    SeriesInputError,
    lead_lag,
)


def quarterly(values: np.ndarray, start: str = "1995Q1") -> pd.DataFrame:
    periods = pd.period_range(start, periods=len(values), freq="Q")
    return pd.DataFrame({"period": periods.to_timestamp(), "value": values})


def leading_pair(seed: int, n: int = 120, lead: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """x white noise; y_t = 0.8 x_{t-lead} + noise: x leads y by `lead` periods."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, n + lead)
    y = 0.8 * x[:-lead] + rng.normal(0, 0.6, n)
    return x[lead:], y


def peak_lag(correlations: pd.DataFrame) -> int:
    return int(correlations.loc[correlations["correlation"].abs().idxmax(), "lag"])


def test_when_diplomacy_leads_trade_by_two_the_peak_is_at_lag_plus_two():
    # Over 200 seeds of this design the reverse test (trade -> diplomacy) rejects in 6%, its nominal size:
    # a fixed seed where it does not (seed 2 is one of the 6%, p = 0.045).
    x, y = leading_pair(seed=1)
    result = lead_lag(quarterly(x), quarterly(y), leader_name="diplomacy", follower_name="trade", frequency="quarterly")
    correlations = result.cross_correlations
    assert tuple(correlations.columns) == CCF_COLUMNS
    assert correlations["lag"].tolist() == list(range(-8, 9))
    assert set(correlations["leader"]) == {"diplomacy"} and set(correlations["follower"]) == {"trade"}
    assert peak_lag(correlations) == 2
    peak = correlations.set_index("lag").loc[2]
    assert peak["outside_band"] and peak["correlation"] > 0.6 and peak["p_value"] < 1e-6
    assert peak["band_high"] == pytest.approx(1.96 / np.sqrt(120), rel=1e-3)
    assert peak["n_pairs"] == 118

    granger = result.granger.set_index(["cause", "effect"])
    assert tuple(result.granger.columns) == GRANGER_COLUMNS
    assert granger.loc[("diplomacy", "trade"), "significant"]
    assert granger.loc[("diplomacy", "trade"), "p_value"] < 1e-6
    assert not granger.loc[("trade", "diplomacy"), "significant"]
    assert granger.loc[("trade", "diplomacy"), "p_value"] > 0.05
    assert granger["lag_order"].nunique() == 1 and granger["lag_order"].iloc[0] >= 2

    # both white-noise-like series are stationary in levels: the rule keeps levels
    assert result.transform == "level"
    assert tuple(result.transforms.columns) == TRANSFORM_COLUMNS
    assert result.transforms["adf_p_value_level"].lt(0.05).all()


def test_when_trade_leads_diplomacy_the_peak_is_at_a_negative_lag():
    x, y = leading_pair(seed=3)
    result = lead_lag(quarterly(y), quarterly(x), leader_name="diplomacy", follower_name="trade", frequency="quarterly")
    assert peak_lag(result.cross_correlations) == -2
    granger = result.granger.set_index(["cause", "effect"])
    assert granger.loc[("trade", "diplomacy"), "significant"]
    assert not granger.loc[("diplomacy", "trade"), "significant"]


def test_random_walks_are_differenced_and_positive_ones_become_growth_rates():
    rng = np.random.default_rng(5)
    steps = rng.normal(0, 1, 122)
    events = np.cumsum(steps)  # crosses zero: first differences
    trade = 1000 * np.exp(np.cumsum(0.02 * steps))[:-2] * np.exp(rng.normal(0, 0.005, 120))  # positive: growth
    result = lead_lag(
        quarterly(events[2:]), quarterly(trade), leader_name="events", follower_name="trade", frequency="quarterly"
    )
    transforms = result.transforms.set_index("series")
    assert result.transform == "differenced"
    assert transforms.loc["events", "transform"] == "difference"
    assert transforms.loc["trade", "transform"] == "growth"
    assert transforms.loc["trade", "unit"] == "% per period (100 x log difference)"
    assert (transforms["adf_p_value_level"] > 0.05).all()
    assert transforms["stationary_after_transform"].all()
    assert peak_lag(result.cross_correlations) == 2
    assert result.n == 119 and result.first_period == "1995Q2"


def test_independent_noise_crosses_the_band_about_as_often_as_chance():
    # 30 fixed seeds x 17 lags = 510 correlations; at 5% about 25 cross by chance.
    crossings, granger_rejections = 0, 0
    for seed in range(30):
        rng = np.random.default_rng(1000 + seed)
        result = lead_lag(
            quarterly(rng.normal(size=100)),
            quarterly(rng.normal(size=100)),
            leader_name="diplomacy",
            follower_name="trade",
            frequency="quarterly",
        )
        crossings += int(result.cross_correlations["outside_band"].sum())
        granger_rejections += int(result.granger["significant"].sum())
    assert crossings <= 0.08 * 30 * 17
    assert granger_rejections <= 0.1 * 30 * 2


def test_outside_band_and_the_p_value_agree():
    x, y = leading_pair(seed=5, n=60)
    correlations = lead_lag(
        quarterly(x), quarterly(y), leader_name="d", follower_name="t", frequency="quarterly"
    ).cross_correlations
    assert (correlations["outside_band"] == (correlations["p_value"] < 0.05)).all()


def test_series_too_short_for_granger_get_a_row_saying_why_not():
    x, y = leading_pair(seed=6, n=18)
    years = lambda v: pd.DataFrame({"period": np.arange(2005, 2005 + len(v)), "value": v})  # noqa: E731
    result = lead_lag(
        years(x), years(y), leader_name="diplomacy", follower_name="FDI", frequency="annual", transform="level"
    )
    assert len(result.cross_correlations) == 17
    assert result.granger["tested"].tolist() == [False, False]
    assert result.granger["p_value"].isna().all()
    assert (result.granger["note"] == "not tested: 18 transformed periods, 20 needed").all()
    assert not result.granger["significant"].any()


def test_a_series_too_short_for_the_lags_is_an_error_naming_both():
    x, y = leading_pair(seed=7, n=14)
    with pytest.raises(
        SeriesInputError,
        match=r"series 'diplomacy' and 'trade': 14 shared periods \(1995Q1 to 1998Q2\); lags up to 8 need at least "
        r"16 after the transform",
    ):
        lead_lag(
            quarterly(x),
            quarterly(y),
            leader_name="diplomacy",
            follower_name="trade",
            frequency="quarterly",
            transform="level",
        )


def test_a_gap_in_the_shared_span_names_the_series():
    x, y = leading_pair(seed=8, n=40)
    trade = quarterly(y).drop(index=[10, 11])
    with pytest.raises(SeriesInputError, match=r"series 'trade': 2 missing periods.*1997Q3, 1997Q4"):
        lead_lag(quarterly(x), trade, leader_name="diplomacy", follower_name="trade", frequency="quarterly")


def test_a_differenced_series_one_period_too_short_is_an_error():
    x, y = leading_pair(seed=10, n=16)
    with pytest.raises(SeriesInputError, match=r"15 periods after the difference transform .* need at least 16"):
        lead_lag(
            quarterly(x),
            quarterly(y),
            leader_name="d",
            follower_name="t",
            frequency="quarterly",
            transform="difference",
        )


def test_only_the_shared_periods_are_used():
    x, y = leading_pair(seed=9, n=60)
    result = lead_lag(
        quarterly(x), quarterly(y[4:], start="1996Q1"), leader_name="d", follower_name="t", frequency="quarterly"
    )
    assert (result.first_period, result.last_period, result.n) == ("1996Q1", "2009Q4", 56)
