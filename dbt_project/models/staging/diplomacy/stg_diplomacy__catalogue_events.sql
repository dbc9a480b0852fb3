-- The curated catalogue, one row per event id (a later file wins if an id is repeated).
with source as (
    select * from {{ source('diplomacy', 'event_catalogue') }}
)

select
    event_id,
    date_start,
    date_end,
    date_precision,
    event_type,
    title,
    location,
    participants,
    source_url,
    notes,
    _source_file as source_file
from source
qualify row_number() over (partition by event_id order by _loaded_at desc, _source_file desc) = 1
