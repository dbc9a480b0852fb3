-- Catalogue events weighted by the Goldstein score of the CAMEO code their type maps to. Left joins: a
-- type without a mapping keeps a NULL weight, which the not_null test stops, never a silently dropped event.
select
    events.event_id,
    events.event_date,
    events.event_type,
    event_types.cameo_code,
    codes.goldstein_scale
from {{ ref('fct_diplomatic_events') }} as events
left join {{ ref('diplomatic_event_type_cameo') }} as event_types on event_types.event_type = events.event_type
left join {{ ref('cameo_event_codes') }} as codes on codes.cameo_code = event_types.cameo_code
where events.origin = 'catalogue'
