-- Member states' monthly exports to Kazakhstan of the goods on the sanctions lists, one row per
-- listed code. The lists name HS4 headings beside CN8 codes, some inside those headings: such a
-- CN8 figure is already part of its heading's, so it is marked and totals count it once.
with flows as (
    select * from {{ ref('stg_trade__databrowser_flows') }}
    where
        flow = 'export'
        and partner_code = 'KZ'
        and period_freq = 'M'
        and indicator = 'VALUE_IN_EUROS'
),

listed_codes as (
    select * from {{ ref('sanctioned_goods_codes') }}
),

listed_headings as (
    select product_code as hs4_code
    from listed_codes
    where code_level = 'HS4'
),

members as (
    select geo_code from {{ ref('eu27_member_states') }}
)

select
    f.period_start as period_month,
    f.reporter_code,
    f.product_code,
    c.code_level,
    f.hs_chapter_code,
    c.code_level = 'CN8' and left(f.product_code, 4) in (select hs4_code from listed_headings)
        as is_within_listed_heading,
    f.value_eur,
    f.product_label,
    f.source_file
from flows as f
inner join listed_codes as c on c.product_code = f.product_code
inner join members as m on m.geo_code = f.reporter_code
