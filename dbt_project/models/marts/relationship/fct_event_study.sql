{{ config(contract={'enforced': true}) }}
-- Did the milestones change trade? One row per case (milestone x series) and estimator, from
-- int_relationship__event_study (segmented regression, statsmodels, pipelines/relationship/event_study.py),
-- with a verdict: cannot_separate where a confounder starts within 12 months (2 years) of the milestone.
with estimates as (
    select * from {{ ref('int_relationship__event_study') }}
)

select
    estimates.case_id,
    estimates.milestone_id,
    estimates.milestone,
    cast(estimates.milestone_date as date) as milestone_date,
    estimates.series as series_id,
    estimates.estimator,
    estimates.control as control_series_id,
    estimates.frequency,
    estimates.unit,
    case
        when not estimates.separable then 'cannot_separate'
        when estimates.level_change_p_value < 0.05 or estimates.slope_change_p_value < 0.05 then 'change_detected'
        else 'no_detectable_change'
    end as verdict,
    round(estimates.level_change, 9) as level_change,
    round(estimates.level_change_ci_low, 9) as level_change_ci_low,
    round(estimates.level_change_ci_high, 9) as level_change_ci_high,
    round(estimates.level_change_p_value, 9) as level_change_p_value,
    round(estimates.slope_change, 9) as slope_change,
    round(estimates.slope_change_ci_low, 9) as slope_change_ci_low,
    round(estimates.slope_change_ci_high, 9) as slope_change_ci_high,
    round(estimates.slope_change_p_value, 9) as slope_change_p_value,
    estimates.confidence_level,
    cast(estimates.periods_before as integer) as periods_before,
    cast(estimates.periods_after as integer) as periods_after,
    cast(estimates.n as integer) as n_periods,
    estimates.first_period,
    estimates.last_period,
    estimates.first_treated_period,
    cast(estimates.hac_maxlags as integer) as hac_maxlags,
    estimates.separable,
    nullif(estimates.confounders, '') as confounders_in_window,
    estimates.method,
    estimates.caveat,
    estimates.milestone_source_url
from estimates
