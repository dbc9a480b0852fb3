"""Glue between the relationship marts and the statistical core: shape the frames dbt hands over, call the
tested functions, return frames in the marts' column order. The dbt Python models under
dbt_project/models/intermediate/relationship/ are one call each into this module; `key_figures` reads the
built marts for the Dagster asset metadata.

Inputs are sorted before anything is computed, so that two builds give identical marts.
"""

from __future__ import annotations

import math

import pandas as pd

from pipelines.relationship.composite_index import CompositeIndexResult, composite_index
from pipelines.relationship.event_study import (
    Milestone,
    difference_vs_control,
    first_treated_period,
    results_frame,
    segmented_regression,
    window_values,
)
from pipelines.relationship.lead_lag import lead_lag
from pipelines.relationship.periods import SeriesInputError

SERIES_KEY = ["series_id", "period_start"]
REBASED_UNIT = "index, mean of the pre-milestone window = 100"
REFERENCE_NORMALISATION = "minmax"
REFERENCE_SCHEME = "equal"


def series_frame(series: pd.DataFrame, series_id: str, *, role: str, case: str) -> tuple[pd.DataFrame, str, str]:
    """(period, value) frame, frequency and unit of one series of int_relationship__series."""
    rows = series[series["series_id"] == series_id].sort_values("period_start")
    if rows.empty:
        known = ", ".join(sorted(series["series_id"].unique()))
        raise SeriesInputError(f"{case}: {role} series {series_id!r} is not in int_relationship__series ({known})")
    frequency = rows["frequency"].iloc[0]
    unit = rows["unit"].iloc[0]
    frame = pd.DataFrame({"period": rows["period_start"].to_numpy(), "value": rows["series_value"].to_numpy()})
    return frame, frequency, unit


def confounder_frame(confounders: pd.DataFrame) -> pd.DataFrame:
    frame = confounders.sort_values("confounder_id")
    return pd.DataFrame(
        {"name": frame["name"].to_numpy(), "start": frame["start_date"].to_numpy(), "end": frame["end_date"].to_numpy()}
    )


def rebased_window(
    frame: pd.DataFrame, name: str, milestone: Milestone, before: int, after: int, frequency: str
) -> pd.DataFrame:
    """The series on the event window, scaled so that its mean before the milestone is 100: treated and
    control then share a unit, and the difference is in percentage points of each one's own level."""
    t0 = first_treated_period(milestone.date, frequency)
    window = window_values(frame, name, milestone, t0, before, after, frequency)  # the clear errors come from here
    base = float(window.loc[: t0 - 1].mean())
    if not math.isfinite(base) or base == 0:
        raise SeriesInputError(
            f"series {name!r}, milestone {milestone.name!r}: the pre-milestone mean is {base}, so it cannot be rebased"
        )
    return pd.DataFrame({"period": window.index, "value": 100 * window.to_numpy(dtype=float) / base})


def event_study_rows(
    series: pd.DataFrame, cases: pd.DataFrame, milestones: pd.DataFrame, confounders: pd.DataFrame
) -> pd.DataFrame:
    """One row per case and estimator: the segmented regression on the series in its own unit, and where the
    case names a control, the difference treated minus control on both series rebased to 100."""
    by_id = milestones.set_index("milestone_id")
    shocks = confounder_frame(confounders)
    frames = []
    for case in cases.sort_values("case_id").itertuples(index=False):
        context = f"event-study case {case.case_id!r}"
        if case.milestone_id not in by_id.index:
            raise SeriesInputError(f"{context}: milestone {case.milestone_id!r} is not in seed relationship_milestones")
        row = by_id.loc[case.milestone_id]
        milestone = Milestone(name=str(row["milestone"]), date=pd.Timestamp(row["milestone_date"]).date().isoformat())
        treated, frequency, unit = series_frame(series, case.series_id, role="treated", case=context)
        options = dict(
            milestone=milestone,
            frequency=frequency,
            confounders=shocks,
            window_before=int(case.window_before),
            window_after=int(case.window_after),
        )
        results = [segmented_regression(treated, series_name=case.series_id, unit=unit, **options)]
        control_id = case.control_series_id
        if isinstance(control_id, str) and control_id:
            control, control_frequency, _ = series_frame(series, control_id, role="control", case=context)
            if control_frequency != frequency:
                raise SeriesInputError(f"{context}: control {control_id!r} is {control_frequency}, not {frequency}")
            before, after = int(case.window_before), int(case.window_after)
            results.append(
                difference_vs_control(
                    rebased_window(treated, case.series_id, milestone, before, after, frequency),
                    rebased_window(control, control_id, milestone, before, after, frequency),
                    series_name=case.series_id,
                    control_name=control_id,
                    unit=REBASED_UNIT,
                    **options,
                )
            )
        frame = results_frame(results)
        frame.insert(0, "case_id", case.case_id)
        frame.insert(1, "milestone_id", case.milestone_id)
        frame["milestone_source_url"] = row["source_url"]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True).sort_values(["case_id", "estimator"], ignore_index=True)


def index_result(components: pd.DataFrame) -> CompositeIndexResult:
    frame = components.sort_values(["year", "component"])
    return composite_index(
        pd.DataFrame(
            {
                "period": frame["year"].astype(int).to_numpy(),
                "component": frame["component"].to_numpy(),
                "value": frame["component_value"].astype(float).to_numpy(),
                "orientation": frame["orientation"].astype(int).to_numpy(),
                "group": frame["component_group"].to_numpy(),
            }
        )
    )


def index_rows(components: pd.DataFrame) -> pd.DataFrame:
    result = index_result(components)
    index = result.index.rename(columns={"period": "year", "index": "index_value"})
    index["rank"] = index["rank"].astype("float").astype("Int64")
    index["years_ranked"] = index.groupby(["normalisation", "scheme"])["index_value"].transform("count")
    index["is_reference"] = (index["normalisation"] == REFERENCE_NORMALISATION) & (index["scheme"] == REFERENCE_SCHEME)
    index["method"] = result.method
    index["caveat"] = result.caveat
    return index.sort_values(["year", "normalisation", "scheme"], ignore_index=True)


def index_sensitivity_rows(components: pd.DataFrame) -> pd.DataFrame:
    table = index_result(components).sensitivity.rename(columns={"period": "year"})
    for column in ("rank_reference", "rank_min", "rank_max", "rank_range"):
        table[column] = table[column].astype("float").astype("Int64")
    return table.sort_values(["year", "normalisation"], ignore_index=True)


def index_weight_rows(components: pd.DataFrame) -> pd.DataFrame:
    result = index_result(components)
    weights = result.weights.rename(columns={"group": "component_group"})
    weights["pca_explained_share"] = result.pca_explained_share if "pca" in set(weights["scheme"]) else None
    weights.loc[weights["scheme"] != "pca", "pca_explained_share"] = None
    return weights.sort_values(["scheme", "component"], ignore_index=True)


def lead_lag_results(series: pd.DataFrame, pairs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cross-correlations with each series' transform, Granger tests), one block per pair."""
    correlations, granger = [], []
    for pair in pairs.sort_values("pair_id").itertuples(index=False):
        context = f"lead-lag pair {pair.pair_id!r}"
        leader, frequency, _ = series_frame(series, pair.leader_series_id, role="leader", case=context)
        follower, follower_frequency, _ = series_frame(series, pair.follower_series_id, role="follower", case=context)
        if follower_frequency != frequency:
            raise SeriesInputError(f"{context}: the leader is {frequency}, the follower {follower_frequency}")
        result = lead_lag(
            leader,
            follower,
            leader_name=pair.leader_series_id,
            follower_name=pair.follower_series_id,
            frequency=frequency,
            max_lag=int(pair.max_lag),
        )
        transforms = result.transforms.set_index("role")
        ccf = result.cross_correlations.rename(columns={"lag": "lag_periods", "correlation": "cross_correlation"})
        ccf.insert(0, "pair_id", pair.pair_id)
        ccf["frequency"] = frequency
        ccf["transform"] = result.transform
        for role in ("leader", "follower"):
            ccf[f"{role}_transform"] = transforms.loc[role, "transform"]
            ccf[f"{role}_adf_p_value_level"] = transforms.loc[role, "adf_p_value_level"]
            ccf[f"{role}_adf_p_value_transformed"] = transforms.loc[role, "adf_p_value_transformed"]
        ccf["first_period"] = result.first_period
        ccf["last_period"] = result.last_period
        ccf["method"] = result.method
        ccf["caveat"] = result.caveat
        correlations.append(ccf)
        tests = result.granger.copy()
        tests.insert(0, "pair_id", pair.pair_id)
        tests["frequency"] = frequency
        tests["transform"] = result.transform
        granger.append(tests)
    return (
        pd.concat(correlations, ignore_index=True).sort_values(["pair_id", "lag_periods"], ignore_index=True),
        pd.concat(granger, ignore_index=True).sort_values(["pair_id", "cause"], ignore_index=True),
    )


def _rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def latest_index(con) -> dict | None:
    """The latest year of the reference index (minmax, equal weights): value, rank and band over the schemes."""
    rows = _rows(
        con,
        """
        SELECT s.year, s.index_reference, s.rank_reference, i.years_ranked, s.index_min, s.index_max,
               s.rank_min, s.rank_max
        FROM marts.fct_relationship_index_sensitivity AS s
        JOIN marts.fct_relationship_index_annual AS i USING (year, normalisation)
        WHERE s.normalisation = 'minmax' AND i.is_reference
        ORDER BY s.year DESC LIMIT 1""",
    )
    return rows[0] if rows else None


def event_study_estimates(con) -> list[dict]:
    """Every event-study estimate with its interval and verdict."""
    return _rows(
        con,
        """
        SELECT case_id, estimator, verdict, level_change, level_change_ci_low, level_change_ci_high,
               level_change_p_value, unit
        FROM marts.fct_event_study ORDER BY case_id, estimator""",
    )


def largest_mirror_gaps(con, limit: int = 5) -> list[dict]:
    """The member states with the largest gaps (US dollars) in the latest year BNS and Comext both cover,
    Kazakhstan's exports against the members' imports."""
    return _rows(
        con,
        f"""
        WITH compared AS (
            SELECT * FROM marts.fct_trade_mirror_annual
            WHERE comparison = 'bns_vs_comext' AND kz_flow = 'export' AND NOT is_eu27_sum AND asymmetry IS NOT NULL
        )
        SELECT year, member_code, kz_reported_usd, eu_reported_usd, asymmetry
        FROM compared WHERE year = (SELECT max(year) FROM compared)
        ORDER BY abs(gap_usd) DESC, member_code LIMIT {int(limit)}""",
    )


def key_figures(con) -> dict:
    """The relationship layer's headline numbers from the built marts (Dagster asset metadata)."""
    return {
        "latest_index": latest_index(con),
        "event_study": event_study_estimates(con),
        "largest_mirror_gaps": largest_mirror_gaps(con),
    }
