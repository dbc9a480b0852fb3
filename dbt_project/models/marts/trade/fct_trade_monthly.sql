-- Monthly trade of the EU27 and its member states with each partner country, in euro.
select
    period_start as period_month,
    reporter_code,
    partner_code,
    product_code,
    flow,
    value_eur,
    confidential_value_eur,
    is_derived_aggregate,
    member_states_summed,
    source_format,
    source_file
from {{ ref('int_trade_flows_with_eu27') }}
where
    period_freq = 'M'
    and length(partner_code) = 2  -- countries and Comext special codes; aggregates stay upstream
