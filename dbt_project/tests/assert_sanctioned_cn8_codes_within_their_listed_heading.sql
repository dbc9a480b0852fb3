-- Counting a listed heading and not the listed CN8 codes inside it is right only if the heading's
-- figure holds theirs: per member state and month, the CN8 codes of a listed HS4 heading add up to
-- at most the heading's value (up to 10 euro of Comext's rounding). A row here is a heading that
-- would undercount.
with listed as (
    select * from {{ ref('int_trade_sanctioned_goods_exports_to_kz') }}
),

headings as (
    select
        period_month,
        reporter_code,
        product_code as hs4_code,
        value_eur
    from listed
    where code_level = 'HS4'
),

nested as (
    select
        period_month,
        reporter_code,
        left(product_code, 4) as hs4_code,
        sum(value_eur) as cn8_value_eur
    from listed
    where is_within_listed_heading
    group by period_month, reporter_code, left(product_code, 4)
)

select
    nested.period_month,
    nested.reporter_code,
    nested.hs4_code,
    nested.cn8_value_eur,
    headings.value_eur as heading_value_eur
from nested
left join headings
    on
        headings.period_month = nested.period_month
        and headings.reporter_code = nested.reporter_code
        and headings.hs4_code = nested.hs4_code
where nested.cn8_value_eur > coalesce(headings.value_eur, 0) + 10
