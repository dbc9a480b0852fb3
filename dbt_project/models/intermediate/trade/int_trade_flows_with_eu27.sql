-- The EU aggregate as the contract defines it: where a source publishes EU27_2020 it is
-- taken as published; where only member states are given, EU27_2020 is their sum.
-- Other aggregates (euro area, EU of changing composition) leave here.
with flows as (
    select * from {{ ref('int_trade_flows_deduplicated') }}
),

members as (
    select geo_code from {{ ref('eu27_member_states') }}
),

member_state_rows as (
    select
        flows.*,
        false as is_derived_aggregate,
        cast(null as integer) as member_states_summed
    from flows
    inner join members on members.geo_code = flows.reporter_code
),

published_eu27 as (
    select
        flows.*,
        false as is_derived_aggregate,
        cast(null as integer) as member_states_summed
    from flows
    where flows.reporter_code = '{{ var("eu27_code") }}'
),

summed_eu27 as (
    select
        string_agg(distinct source_format, '+' order by source_format) as source_format,
        string_agg(distinct source_file, '+' order by source_file) as source_file,
        max(loaded_at) as loaded_at,
        '{{ var("eu27_code") }}' as reporter_code,
        partner_code,
        product_code,
        flow,
        period_code,
        period_start,
        period_freq,
        sum(value_eur) as value_eur,
        sum(confidential_value_eur) as confidential_value_eur,
        sum(source_rows) as source_rows,
        max(candidate_sources) as candidate_sources,
        true as is_derived_aggregate,
        cast(count(*) as integer) as member_states_summed
    from member_state_rows
    group by partner_code, product_code, flow, period_code, period_start, period_freq
),

unioned as (
    select * from member_state_rows
    union all by name
    select * from published_eu27
    union all by name
    select summed.*
    from summed_eu27 as summed
    anti join published_eu27 as published
        on
            published.partner_code = summed.partner_code
            and published.product_code = summed.product_code
            and published.flow = summed.flow
            and published.period_code = summed.period_code
)

select
    source_format,
    source_file,
    loaded_at,
    reporter_code,
    partner_code,
    product_code,
    flow,
    period_code,
    period_start,
    period_freq,
    value_eur,
    confidential_value_eur,
    source_rows,
    candidate_sources,
    is_derived_aggregate,
    member_states_summed
from unioned
