-- CN8 extracts of Comext bulk files, one row per reporter, partner, CN8 code, flow and period.
-- Where two landed files give the same key, the file landed last wins (a later extraction).
with source as (
    select * from {{ source('trade', 'comext_bulk_extract_flows') }}
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by reporter_code, partner_code, product_code, flow, period_code
        order by _loaded_at desc, _source_file desc
    ) = 1
)

select
    source_format,
    dataset,
    reporter_code,
    partner_code,
    product_code,
    left(product_code, 2) as hs_chapter_code,
    flow,
    period_code,
    period_start,
    period_freq,
    cast(year(period_start) as integer) as year,
    value_eur,
    quantity_kg,
    _source_file as source_file,
    source_line,
    _loaded_at as loaded_at
from latest
