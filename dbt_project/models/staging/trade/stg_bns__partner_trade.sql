-- Kazakhstan's BNS partner rows, one per reference year and partner, in the latest vintage of the year.
-- A workbook holds its year and a revision of the year before. The workbook with the latest edition (then
-- the latest stated publication date, then the latest landing) decides the whole year, so a partner that a
-- revision dropped does not come back from an older vintage.
with source as (
    select * from {{ source('trade', 'kz_partner_trade') }}
),

year_vintages as (
    select distinct
        year,
        _source_file,
        vintage_year,
        published_on,
        _loaded_at
    from source
),

latest_vintage as (
    select
        year,
        _source_file,
        count(*) over (partition by year) as vintages_landed
    from year_vintages
    qualify row_number() over (
        partition by year
        order by vintage_year desc, published_on desc nulls last, _loaded_at desc, _source_file desc
    ) = 1
)

select
    source.year,
    source.partner_code,
    source.partner_kind,
    source.partner_label_ru,
    source.turnover_thousand_usd,
    source.turnover_share_pct,
    source.exports_thousand_usd,
    source.exports_share_pct,
    source.imports_thousand_usd,
    source.imports_share_pct,
    source.vintage_year,
    source.published_on,
    cast(latest_vintage.vintages_landed as integer) as vintages_landed,
    source.sheet,
    source.source_line,
    source._source_file as source_file,
    source._loaded_at as loaded_at
from source
inner join latest_vintage on latest_vintage.year = source.year and latest_vintage._source_file = source._source_file
