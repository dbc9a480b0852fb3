-- Flattened data-browser exports of Comext DS-045409, one row per reporter, partner, product,
-- flow, indicator and period, with the product's level in the nomenclature. Where two landed
-- files give the same key, the file landed last wins.
with source as (
    select * from {{ source('trade', 'comext_databrowser_flows') }}
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by reporter_code, partner_code, product_code, flow, indicator, period_code
        order by _loaded_at desc, _source_file desc
    ) = 1
)

select
    source_format,
    dataset,
    export_file,
    export_sheet,
    reporter_code,
    partner_code,
    product_code,
    product_label,
    case
        when product_code = 'TOTAL' then 'TOTAL'
        when length(product_code) = 2 then 'HS2'
        when length(product_code) = 4 then 'HS4'
        when length(product_code) = 6 then 'HS6'
        when length(product_code) = 8 then 'CN8'
    end as product_level,
    case when product_code <> 'TOTAL' then left(product_code, 2) end as hs_chapter_code,
    flow,
    indicator,
    period_code,
    period_start,
    period_freq,
    value_eur,
    obs_flag,
    _source_file as source_file,
    source_line,
    _loaded_at as loaded_at
from latest
