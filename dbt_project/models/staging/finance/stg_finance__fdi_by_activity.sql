-- One row per reporter, direction, NACE classification, level, activity and year of foreign direct
-- investment (wiiw FDI Database), the latest load where two files carry the same key.
with source as (
    select * from {{ source('finance', 'fdi_by_activity') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by reporter_code, direction, classification, activity_level, activity_code, year
            order by _loaded_at desc, _source_file desc
        ) as revision_rank
    from source
)

select
    reporter_code,
    direction,
    classification,
    activity_level,
    activity_code,
    activity_label,
    year,
    value_eur_million,
    share_of_total_pct as published_share_of_total_pct,
    share_of_manufacturing_pct as published_share_of_manufacturing_pct,
    footnote,
    source_note,
    source_line,
    _source_file as source_file,
    _loaded_at as loaded_at
from ranked
where revision_rank = 1
