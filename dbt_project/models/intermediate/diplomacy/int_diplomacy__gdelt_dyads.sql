-- Each Kazakhstan GDELT event with its directed dyad: the side of actor 1 and of actor 2 is KZ,
-- EU (the EU itself, known group EEC, or a member state), another country's CAMEO code, or NONE.
with events as (
    select * from {{ ref('stg_diplomacy__gdelt_events') }}
)

select
    *,
    case
        when actor1_is_kz then 'KZ'
        when actor1_is_eu then 'EU'
        else coalesce(actor1_country_code, 'NONE')
    end as actor1_side,
    case
        when actor2_is_kz then 'KZ'
        when actor2_is_eu then 'EU'
        else coalesce(actor2_country_code, 'NONE')
    end as actor2_side,
    (actor1_is_kz and actor2_is_eu) or (actor1_is_eu and actor2_is_kz) as is_kz_eu_dyad,
    date_trunc('quarter', event_date)::date as quarter_start
from events
