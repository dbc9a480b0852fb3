-- Each Kazakhstan GDELT event with its directed dyad: the side of actor 1 and of actor 2 is KZ,
-- EU (the EU itself, known group EEC, or a member state), another country's CAMEO code, or NONE.
-- KZ and EU come as landed (pipelines/domains/diplomacy/actors.py: the rule the totals use too).
with events as (
    select * from {{ ref('stg_diplomacy__gdelt_events') }}
)

select
    global_event_id,
    source_format,
    event_date,
    date_added,
    actor1_code,
    actor1_name,
    actor1_country_code,
    actor1_known_group_code,
    actor2_code,
    actor2_name,
    actor2_country_code,
    actor2_known_group_code,
    actor1_is_kz,
    actor2_is_kz,
    actor1_is_eu,
    actor2_is_eu,
    is_root_event,
    event_code,
    event_base_code,
    event_root_code,
    event_description,
    event_root_description,
    quad_class,
    goldstein_scale,
    num_mentions,
    num_sources,
    num_articles,
    avg_tone,
    action_geo_country_fips,
    action_geo_country_iso2,
    action_geo_full_name,
    source_url,
    source_file,
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
