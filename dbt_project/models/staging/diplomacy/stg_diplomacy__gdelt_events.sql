-- GDELT events involving Kazakhstan, one row per GLOBALEVENTID (the latest batch wins: GDELT
-- re-exports an event when it is updated). Whether an actor is Kazakh or EU was decided at landing
-- by the one rule that also counts the per-day totals (pipelines/domains/diplomacy/actors.py).
with source as (
    select * from {{ source('diplomacy', 'gdelt_events') }}
    qualify row_number() over (partition by global_event_id order by date_added desc, _source_file desc) = 1
)

select
    s.global_event_id,
    s.source_format,
    s.event_date,
    s.date_added,
    s.actor1_code,
    s.actor1_name,
    s.actor1_country_code,
    s.actor1_known_group_code,
    s.actor2_code,
    s.actor2_name,
    s.actor2_country_code,
    s.actor2_known_group_code,
    s.actor1_is_kz,
    s.actor2_is_kz,
    s.actor1_is_eu,
    s.actor2_is_eu,
    s.is_root_event,
    s.event_code,
    s.event_base_code,
    s.event_root_code,
    c.description as event_description,
    r.description as event_root_description,
    s.quad_class,
    s.goldstein_scale,
    s.num_mentions,
    s.num_sources,
    s.num_articles,
    s.avg_tone,
    s.action_geo_country_fips,
    f.iso2_code as action_geo_country_iso2,
    s.action_geo_full_name,
    s.source_url,
    s._source_file as source_file
from source as s
left join {{ ref('cameo_event_codes') }} as c on c.cameo_code = s.event_code
left join {{ ref('cameo_event_codes') }} as r on r.cameo_code = s.event_root_code
left join {{ ref('fips_country_codes') }} as f on f.fips_code = s.action_geo_country_fips
