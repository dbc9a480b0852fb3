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
        precedence.precedence,
        count(*) over (partition by reporter_code, partner_code, product_code, flow, period_code) as candidate_sources,
        row_number() over (
            partition by reporter_code, partner_code, product_code, flow, period_code
            order by precedence.precedence, flows.loaded_at desc, flows.source_file desc
        ) as rank_in_key
    from flows
    join precedence using (source_format)
)

select * exclude (rank_in_key, precedence)
from ranked
where rank_in_key = 1
