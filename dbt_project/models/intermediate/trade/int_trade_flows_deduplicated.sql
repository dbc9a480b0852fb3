-- One figure per reporter, partner, product, flow and period. Where two sources cover the
-- same key, the lower precedence (seed trade_source_precedence) wins, then the most
-- recently loaded file, then the file name: deterministic, documented, tested.
with flows as (
    select * from {{ ref('int_trade_flows_aggregated') }}
),

precedence as (
    select * from {{ ref('trade_source_precedence') }}
),

ranked as (
    select
        flows.*,
        count(*) over (
            partition by flows.reporter_code, flows.partner_code, flows.product_code, flows.flow, flows.period_code
        ) as candidate_sources,
        row_number() over (
            partition by flows.reporter_code, flows.partner_code, flows.product_code, flows.flow, flows.period_code
            order by precedence.precedence asc, flows.loaded_at desc, flows.source_file desc
        ) as rank_in_key
    from flows
    inner join precedence on precedence.source_format = flows.source_format
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
    candidate_sources
from ranked
where rank_in_key = 1
