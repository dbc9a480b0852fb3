{{ config(contract={'enforced': true}) }}
-- Granger tests of each lead-lag pair in both directions (pipelines/relationship/lead_lag.py), or a row
-- saying why not where the transformed series are too short.
select
    pair_id,
    cause as cause_series_id,
    effect as effect_series_id,
    frequency,
    transform,
    tested,
    cast(lag_order as integer) as lag_order,
    round(f_statistic, 12) as f_statistic,
    cast(df_num as integer) as df_num,
    cast(df_denom as integer) as df_denom,
    round(p_value, 12) as p_value,
    significant,
    cast(n as integer) as n_periods,
    first_period,
    last_period,
    method,
    nullif(note, '') as note
from {{ ref('int_relationship__granger') }}
