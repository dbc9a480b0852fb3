"""Lead-lag between diplomatic activity (the leader) and trade, crude or FDI (the follower).

Sign convention: lag k > 0 is the correlation of leader_t with follower_{t+k}, so a peak at a positive
lag means diplomacy leads trade; k < 0 means trade leads diplomacy.

Steps, each from statsmodels:
1. Stationary transforms, chosen jointly by a stated rule: an augmented Dickey-Fuller test (constant,
   lag length by AIC) on each series in levels. When both reject a unit root at 5% both stay in levels;
   otherwise both are differenced, each as a growth rate (100 x the log difference, % per period) when all
   its values are positive, else as a first difference. One transform for both keeps the lags comparable,
   and levels are kept when they are stationary since differencing a stationary series adds a spurious
   negative autocorrelation. The ADF p-value of each series, in levels and transformed, is reported.
2. Cross-correlations at lags -L..+L (default 8) with `statsmodels.tsa.stattools.ccf` (denominator n, as
   Box-Jenkins and R's ccf), and the approximate 95% band +-1.96/sqrt(n) under the null of two independent
   white-noise series (Brockwell and Davis 2016, p. 242). The band is too narrow when the series are
   autocorrelated (no prewhitening is done): read a single crossing as a hint, not a finding.
3. Granger causality in both directions (Granger 1969): the ssr F test of
   `statsmodels.tsa.stattools.grangercausalitytests`, on the transformed series, with one lag order p for
   both directions chosen by AIC from a bivariate VAR (`statsmodels.tsa.api.VAR.select_order`), p between 1
   and the frequency's maximum. Only when the transformed series have MIN_GRANGER_OBSERVATIONS periods;
   otherwise the row says why not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.api import VAR
from statsmodels.tsa.stattools import adfuller, ccf, grangercausalitytests

from pipelines.relationship.periods import (
    Frequency,
    SeriesInputError,
    check_frequency,
    format_periods,
    missing_periods,
    regular_series,
)

DEFAULT_MAX_LAG = 8
# Cross-correlations need at least 2 x max_lag transformed periods (the farthest lag still pairs half the
# sample) and never fewer than this.
MIN_CCF_OBSERVATIONS = 12
SIGNIFICANCE = 0.05
# Granger needs lags of both series and an F test with real residual degrees of freedom: with 20
# transformed periods and p = 2 the unrestricted regression keeps 13 df.
MIN_GRANGER_OBSERVATIONS = 20
# The lag order is capped so that the unrestricted Granger regression (2p + 1 coefficients on n - p
# periods) keeps this many residual degrees of freedom: p <= (n - 1 - 10) / 3.
GRANGER_MIN_RESIDUAL_DF = 10
GRANGER_MAX_LAG: dict[str, int] = {"monthly": 12, "quarterly": 4, "annual": 2}
TRANSFORMS = ("auto", "level", "difference", "growth")

TRANSFORM_COLUMNS = (
    "series", "role", "transform", "unit", "adf_statistic_level", "adf_p_value_level", "adf_p_value_transformed",
    "stationary_after_transform", "n", "first_period", "last_period",
)  # fmt: skip
CCF_COLUMNS = (
    "leader", "follower", "lag", "correlation", "band_low", "band_high", "outside_band", "p_value", "n_pairs", "n",
)  # fmt: skip
GRANGER_COLUMNS = (
    "cause", "effect", "tested", "lag_order", "f_statistic", "df_num", "df_denom", "p_value", "significant",
    "n", "first_period", "last_period", "method", "note",
)  # fmt: skip


@dataclass(frozen=True)
class LeadLagResult:
    leader: str
    follower: str
    frequency: str
    transform: str  # level | differenced (growth or difference per series, see `transforms`)
    max_lag: int
    n: int  # transformed periods both series share
    first_period: str
    last_period: str
    transforms: pd.DataFrame  # TRANSFORM_COLUMNS, one row per series
    cross_correlations: pd.DataFrame  # CCF_COLUMNS, one row per lag -max_lag..+max_lag
    granger: pd.DataFrame  # GRANGER_COLUMNS, leader -> follower and follower -> leader
    method: str
    caveat: str


def lead_lag(
    leader: pd.DataFrame,
    follower: pd.DataFrame,
    *,
    leader_name: str,
    follower_name: str,
    frequency: Frequency,
    max_lag: int = DEFAULT_MAX_LAG,
    transform: str = "auto",
    granger_max_lag: int | None = None,
) -> LeadLagResult:
    """Cross-correlations and Granger tests of two (period, value) frames over the periods they share."""
    check_frequency(frequency)
    if transform not in TRANSFORMS:
        raise ValueError(f"transform must be one of {TRANSFORMS}, not {transform!r}")
    levels = aligned_levels(leader, follower, leader_name, follower_name, frequency)
    pair = f"series {leader_name!r} and {follower_name!r}"
    required = max(2 * max_lag, MIN_CCF_OBSERVATIONS)
    if len(levels) < required:
        raise SeriesInputError(
            f"{pair}: {len(levels)} shared periods ({levels.index[0]} to {levels.index[-1]}); lags up to {max_lag} "
            f"need at least {required} after the transform"
        )
    level_tests = {name: adf_test(levels[name], name) for name in levels.columns}
    kind = choose_transform(level_tests, transform)
    used = {name: series_transform(levels[name], kind) for name in levels.columns}
    transformed = pd.DataFrame({name: apply_transform(levels[name], used[name], name) for name in levels.columns})
    transformed = transformed.dropna()
    n = len(transformed)
    if n < required:
        raise SeriesInputError(
            f"{pair}: {n} periods after the {kind} transform ({transformed.index[0]} to {transformed.index[-1]}); "
            f"lags up to {max_lag} need at least {required}"
        )
    transforms = pd.DataFrame(
        [
            _transform_row(name, role, used[name], transformed[name], level_tests[name])
            for name, role in ((leader_name, "leader"), (follower_name, "follower"))
        ],
        columns=list(TRANSFORM_COLUMNS),
    )
    correlations = cross_correlations(transformed[leader_name], transformed[follower_name], max_lag)
    max_p = GRANGER_MAX_LAG[frequency] if granger_max_lag is None else granger_max_lag
    granger = granger_tests(transformed, leader_name, follower_name, max_p)
    return LeadLagResult(
        leader=leader_name,
        follower=follower_name,
        frequency=frequency,
        transform=kind,
        max_lag=max_lag,
        n=n,
        first_period=str(transformed.index[0]),
        last_period=str(transformed.index[-1]),
        transforms=transforms,
        cross_correlations=correlations,
        granger=granger,
        method=(
            f"ADF (constant, AIC lags) per series; joint transform rule -> {kind}; statsmodels ccf at lags "
            f"-{max_lag}..+{max_lag}, band +-1.96/sqrt(n); Granger ssr F test (grangercausalitytests), "
            f"VAR AIC lag order up to {max_p}"
        ),
        caveat=_caveat(transforms, max_lag),
    )


def aligned_levels(
    leader: pd.DataFrame, follower: pd.DataFrame, leader_name: str, follower_name: str, frequency: Frequency
) -> pd.DataFrame:
    """Both series on the periods they share, or a SeriesInputError naming the series with a gap there."""
    if leader_name == follower_name:
        raise ValueError(f"leader and follower need different names (both {leader_name!r})")
    series = {
        leader_name: regular_series(leader, frequency, name=leader_name),
        follower_name: regular_series(follower, frequency, name=follower_name),
    }
    start = max(s.index[0] for s in series.values())
    end = min(s.index[-1] for s in series.values())
    if start > end:
        raise SeriesInputError(f"series {leader_name!r} and {follower_name!r} share no period")
    for name, values in series.items():
        gaps = missing_periods(values.loc[start:end])
        if len(gaps):
            raise SeriesInputError(
                f"series {name!r}: {len(gaps)} missing periods within the span shared with the other series "
                f"({start} to {end}): {format_periods(gaps)}"
            )
    return pd.DataFrame({name: values.loc[start:end] for name, values in series.items()})


@dataclass(frozen=True)
class AdfTest:
    statistic: float
    p_value: float


def adf_test(values: pd.Series, name: str) -> AdfTest:
    """Augmented Dickey-Fuller (statsmodels adfuller, constant, lag length by AIC) on one series."""
    clean = values.dropna().to_numpy(dtype=float)
    if np.ptp(clean) == 0:
        raise SeriesInputError(f"series {name!r} is constant: no test or correlation is defined")
    result = adfuller(clean, regression="c", autolag="AIC", result_object=True)
    return AdfTest(statistic=float(result.statistic), p_value=float(result.pvalue))


def choose_transform(level_tests: dict[str, AdfTest], requested: str) -> str:
    """The rule of the module doc: levels when every series rejects a unit root at 5%, else differences."""
    if requested != "auto":
        return requested
    return "level" if all(t.p_value < SIGNIFICANCE for t in level_tests.values()) else "differenced"


def series_transform(values: pd.Series, kind: str) -> str:
    """What `differenced` means for one series: growth rates when all its values are positive."""
    if kind != "differenced":
        return kind
    return "growth" if (values > 0).all() else "difference"


def apply_transform(values: pd.Series, kind: str, name: str) -> pd.Series:
    """Levels, first differences, or growth rates (100 x log difference) of one series."""
    if kind == "level":
        return values
    if kind == "growth":
        if not (values > 0).all():
            raise SeriesInputError(f"series {name!r}: growth rates need positive values; use transform='difference'")
        return 100 * np.log(values).diff()
    return values.diff()


def cross_correlations(leader: pd.Series, follower: pd.Series, max_lag: int) -> pd.DataFrame:
    """Correlation of leader_t with follower_{t+k} for k = -max_lag..+max_lag, with the white-noise band.

    statsmodels' ccf(a, b)[k] is corr(a_{t+k}, b_t): the positive lags are ccf(follower, leader), the
    negative ones ccf(leader, follower). The band half-width is statsmodels' own 1.96/sqrt(n); the
    p-value is the two-sided normal p-value of the same approximation (r sqrt(n) ~ N(0, 1)), so that
    outside_band and p_value < 0.05 agree."""
    x, y = leader.to_numpy(dtype=float), follower.to_numpy(dtype=float)
    n = len(x)
    leads = ccf(y, x, adjusted=False, nlags=max_lag + 1, alpha=SIGNIFICANCE)
    lags_behind = ccf(x, y, adjusted=False, nlags=max_lag + 1)
    half_width = float(leads.confint[0, 1] - leads.ccf[0])
    rows = []
    for lag in range(-max_lag, max_lag + 1):
        r = float(leads.ccf[lag] if lag >= 0 else lags_behind[-lag])
        rows.append(
            {
                "leader": leader.name,
                "follower": follower.name,
                "lag": lag,
                "correlation": r,
                "band_low": -half_width,
                "band_high": half_width,
                "outside_band": abs(r) > half_width,
                "p_value": math.erfc(abs(r) * math.sqrt(n) / math.sqrt(2)),
                "n_pairs": n - abs(lag),
                "n": n,
            }
        )
    return pd.DataFrame(rows, columns=list(CCF_COLUMNS))


def granger_tests(transformed: pd.DataFrame, leader: str, follower: str, max_lag: int) -> pd.DataFrame:
    """Granger tests leader -> follower and follower -> leader at one AIC-chosen lag order, or rows saying
    why not (too few periods)."""
    n = len(transformed)
    sample = {"n": n, "first_period": str(transformed.index[0]), "last_period": str(transformed.index[-1])}
    directions = ((leader, follower), (follower, leader))
    if n < MIN_GRANGER_OBSERVATIONS:
        note = f"not tested: {n} transformed periods, {MIN_GRANGER_OBSERVATIONS} needed"
        return pd.DataFrame(
            [_granger_row(cause, effect, sample, note=note) for cause, effect in directions],
            columns=list(GRANGER_COLUMNS),
        )
    lag_order = granger_lag_order(transformed, max_lag)
    rows = []
    for cause, effect in directions:
        # grangercausalitytests asks whether the second column Granger-causes the first
        tests = grangercausalitytests(transformed[[effect, cause]].to_numpy(), [lag_order])
        f_statistic, p_value, df_denom, df_num = tests[lag_order][0]["ssr_ftest"]
        rows.append(
            _granger_row(
                cause,
                effect,
                sample,
                lag_order=lag_order,
                f_statistic=float(f_statistic),
                df_num=int(df_num),
                df_denom=int(df_denom),
                p_value=float(p_value),
            )
        )
    return pd.DataFrame(rows, columns=list(GRANGER_COLUMNS))


def granger_lag_order(transformed: pd.DataFrame, max_lag: int) -> int:
    """AIC's lag order for the bivariate VAR with a constant, between 1 and max_lag, capped so that the
    largest model keeps GRANGER_MIN_RESIDUAL_DF residual degrees of freedom."""
    n = len(transformed)
    largest = max(1, min(max_lag, (n - 1 - GRANGER_MIN_RESIDUAL_DF) // 3))
    selected = VAR(transformed.to_numpy()).select_order(maxlags=largest, trend="c").selected_orders["aic"]
    return max(1, int(selected))


def _granger_row(cause: str, effect: str, sample: dict, *, note: str = "", **test) -> dict:
    tested = bool(test)
    p_value = test.get("p_value", np.nan)
    return {
        "cause": cause,
        "effect": effect,
        "tested": tested,
        "lag_order": test.get("lag_order"),
        "f_statistic": test.get("f_statistic", np.nan),
        "df_num": test.get("df_num"),
        "df_denom": test.get("df_denom"),
        "p_value": p_value,
        "significant": bool(tested and p_value < SIGNIFICANCE),
        **sample,
        "method": (
            f"Granger ssr F test, H0: {cause} does not help predict {effect} beyond {effect}'s own lags "
            f"(statsmodels grangercausalitytests; lag order by VAR AIC)"
        ),
        "note": note,
    }


def _transform_row(name: str, role: str, used: str, transformed: pd.Series, level_test: AdfTest) -> dict:
    after = level_test if used == "level" else adf_test(transformed, name)
    unit = {"level": "level", "growth": "% per period (100 x log difference)", "difference": "change per period"}
    return {
        "series": name,
        "role": role,
        "transform": used,
        "unit": unit[used],
        "adf_statistic_level": level_test.statistic,
        "adf_p_value_level": level_test.p_value,
        "adf_p_value_transformed": after.p_value,
        "stationary_after_transform": after.p_value < SIGNIFICANCE,
        "n": int(transformed.notna().sum()),
        "first_period": str(transformed.first_valid_index()),
        "last_period": str(transformed.last_valid_index()),
    }


def _caveat(transforms: pd.DataFrame, max_lag: int) -> str:
    lags = 2 * max_lag + 1
    sentences = [
        "Correlation at a lead is not causation: both series may follow a third (oil prices, sanctions, GDELT's "
        "changing volume). The +-1.96/sqrt(n) band assumes independent white noise and is too narrow for "
        "autocorrelated series; "
        f"{lags} lags give about {0.05 * lags:.1f} crossings by chance. Granger causality is predictive only."
    ]
    still = transforms.loc[~transforms["stationary_after_transform"], "series"].tolist()
    if still:
        sentences.append(f"ADF does not reject a unit root after the transform for {', '.join(still)} (at 5%).")
    return " ".join(sentences)
