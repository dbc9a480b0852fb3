-- Events per quarter by type, for the Kazakhstan-EU dyad and, from GDELT, every dyad of
-- Kazakhstan: GDELT events by CAMEO root class and directed dyad; catalogue events by type.
with gdelt as (
    select
        quarter_start,
        'gdelt' as origin,
        actor1_side || '->' || actor2_side as dyad,
        event_root_code as event_category_code,
        coalesce(trim(event_root_description), event_root_code) as event_category,
        count(*) as events
    from {{ ref('int_diplomacy__gdelt_dyads') }}
    group by all
),

catalogue as (
    select
        date_trunc('quarter', date_start)::date as quarter_start,
        'catalogue' as origin,
        'KZ-EU' as dyad,
        event_type as event_category_code,
        event_type as event_category,
        count(*) as events
    from {{ ref('stg_diplomacy__catalogue_events') }}
    -- only events dated to the quarter: a year-precision date says nothing about its quarter
    where date_precision in ('day', 'month')
    group by all
)

select
    quarter_start,
    strftime(quarter_start, '%Y') || '-Q' || quarter(quarter_start)::varchar as quarter,
    origin,
    dyad,
    event_category_code,
    event_category,
    events
from gdelt
union all
select
    quarter_start,
    strftime(quarter_start, '%Y') || '-Q' || quarter(quarter_start)::varchar as quarter,
    origin,
    dyad,
    event_category_code,
    event_category,
    events
from catalogue
