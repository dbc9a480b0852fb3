{{ config(meta={"dagster": {"ref": {"name": "fct_kz_partner_trade_annual"}}}) }}
-- EU27_2020 sums member states and their predecessors (Belgium-Luxembourg, Czechoslovakia): a year in
-- which a source lists a predecessor and one of its successors would be counted twice.
with chosen as (
    select
        year,
        partner_code,
        source
    from {{ ref('fct_kz_partner_trade_annual') }}
    where partner_kind <> 'eu27_sum'
),

predecessors as (
    select
        code,
        unnest(string_split(successor_codes, ' ')) as successor_code
    from {{ ref('eu27_2020_predecessors') }}
)

select
    predecessor.year,
    predecessors.code,
    predecessors.successor_code
from chosen as predecessor
inner join predecessors on predecessors.code = predecessor.partner_code
inner join chosen as successor
    on successor.year = predecessor.year and successor.partner_code = predecessors.successor_code
