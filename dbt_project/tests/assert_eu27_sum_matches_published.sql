{{ config(meta={"dagster": {"ref": {"name": "int_trade_flows_aggregated"}}}) }}
-- Where one file publishes EU27_2020 and the member states for the same key, the
-- member-state sum must match the published aggregate (within 0.05%): the rule used where
-- only member states are given is then sound. Compared within a file, since files of
-- different vintages differ by revisions.
with flows as (
    select * from {{ ref('int_trade_flows_aggregated') }}
),

published as (
    select
        source_file,
        partner_code,
        product_code,
        flow,
        period_code,
        value_eur
    from flows
    where reporter_code = '{{ var("eu27_code") }}'
),

summed as (
    select
        source_file,
        partner_code,
        product_code,
        flow,
        period_code,
        sum(value_eur) as value_eur
    from flows
    where reporter_code in (select geo_code from {{ ref('eu27_member_states') }})
    group by all
)

select
    published.*,
    summed.value_eur as member_state_sum_eur
from published
inner join summed
    on
        summed.source_file = published.source_file
        and summed.partner_code = published.partner_code
        and summed.product_code = published.product_code
        and summed.flow = published.flow
        and summed.period_code = published.period_code
where
    published.value_eur > 0
    and abs(summed.value_eur / published.value_eur - 1) > 0.0005
