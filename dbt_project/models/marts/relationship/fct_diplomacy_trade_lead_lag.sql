{{ config(contract={'enforced': true}) }}
-- Does diplomacy lead trade, or follow it? Cross-correlations of each pair at lags -8..+8 on stationary
-- transforms (pipelines/relationship/lead_lag.py): lag k > 0 correlates diplomacy at t with trade at t + k.
select
    pair_id,
    leader as leader_series_id,
    follower as follower_series_id,
    frequency,
    cast(lag_periods as integer) as lag_periods,
    round(cross_correlation, 12) as cross_correlation,
    round(band_low, 12) as band_low,
    round(band_high, 12) as band_high,
    outside_band,
    round(p_value, 12) as p_value,
    cast(n_pairs as integer) as n_pairs,
    cast(n as integer) as n_periods,
    transform,
    leader_transform,
    follower_transform,
    round(leader_adf_p_value_level, 12) as leader_adf_p_value_level,
    round(leader_adf_p_value_transformed, 12) as leader_adf_p_value_transformed,
    round(follower_adf_p_value_level, 12) as follower_adf_p_value_level,
    round(follower_adf_p_value_transformed, 12) as follower_adf_p_value_transformed,
    first_period,
    last_period,
    method,
    caveat
from {{ ref('int_relationship__lead_lag') }}
