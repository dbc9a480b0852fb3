-- IMF DOTS figures, one per reporter, partner, flow and year, typed and in US dollars beside the published
-- millions. Where two landed workbooks give the same figure, the latest landed wins.
with source as (
    select * from {{ source('trade', 'imf_dots_flows') }}
)

select
    reporter_code,
    reporter_name,
    partner_code,
    partner_name,
    partner_kind,
    flow,
    valuation,
    year,
    value_usd_million,
    value_usd_million * 1e6 as value_usd,
    obs_flag,
    sheet,
    source_line,
    source_column,
    _source_file as source_file,
    _loaded_at as loaded_at
from source
qualify row_number() over (
    partition by reporter_code, partner_code, flow, year order by _loaded_at desc, _source_file desc
) = 1
