-- One row per landed trade row, typed and classified; no business rules yet.
with source as (
    select * from {{ source('trade', 'trade_flows') }}
)

select
    source_format,
    dataset,
    reporter_code,
    partner_code,
    product_code,
    case
        when product_code = 'TOTAL' then 'TOTAL'
        when length(product_code) = 2 then 'HS2'
        when length(product_code) = 4 then 'HS4'
        when length(product_code) = 6 then 'HS6'
        when length(product_code) = 8 then 'CN8'
        else 'OTHER'
    end as product_level,
    -- CN8 residuals such as 39XXXXXX keep their chapter; a fully hidden code has none.
    case when regexp_full_match(left(product_code, 2), '[0-9]{2}') then left(product_code, 2) end as hs_chapter_code,
    contains(product_code, 'X') as is_confidential_product,
    flow,
    stat_procedure,
    period_code,
    period_start,
    period_freq,
    value_eur,
    quantity_kg,
    obs_flag,
    vintage,
    _source_file as source_file,
    _loaded_at as loaded_at
from source
