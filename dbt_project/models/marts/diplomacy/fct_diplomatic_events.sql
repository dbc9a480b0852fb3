-- Events between Kazakhstan and the EU or its member states: the curated catalogue (cited,
-- with date precision) and the GDELT events whose one actor is Kazakh and the other European.
with catalogue as (
    select * from {{ ref('stg_diplomacy__catalogue_events') }}
),

gdelt as (
    select * from {{ ref('int_diplomacy__gdelt_dyads') }}
    where is_kz_eu_dyad
)

select
    event_id,
    date_start as event_date,
    date_end as event_end_date,
    date_precision,
    event_type,
    title,
    'catalogue' as origin,
    source_url,
    location,
    participants,
    null::varchar as cameo_event_code,
    null::integer as quad_class,
    null::double as goldstein_scale,
    null::double as avg_tone,
    null::integer as num_articles
from catalogue

union all

select
    'GDELT-' || global_event_id::varchar as event_id,
    event_date,
    null::date as event_end_date,
    'day' as date_precision,
    -- GDELT's type is its CAMEO root class, e.g. gdelt_consult, gdelt_express_intent_to_cooperate
    'gdelt_' || regexp_replace(
        lower(trim(coalesce(event_root_description, event_root_code))), '[^a-z0-9]+', '_', 'g'
    ) as event_type,
    (
        coalesce(trim(event_description), 'CAMEO ' || event_code) || ': '
        || coalesce(actor1_name, actor1_code, '?') || ' -> ' || coalesce(actor2_name, actor2_code, '?')
    ) as title,
    'gdelt' as origin,
    source_url,
    action_geo_full_name as location,
    actor1_side || ';' || actor2_side as participants,
    event_code as cameo_event_code,
    quad_class,
    goldstein_scale,
    avg_tone,
    num_articles
from gdelt
