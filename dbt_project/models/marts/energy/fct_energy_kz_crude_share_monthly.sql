-- Kazakhstan's share of crude oil imports per month and importer, by volume and by value,
-- and the average CIF price of Kazakh crude against all crude. Where a Kazakh grade is
-- confidential the Kazakh figure and share are lower bounds, and say so; the price is given
-- only where volume and value are both complete.
with shares as (
    select * from {{ ref('int_energy__kz_crude_share_monthly') }}
)

select
    period_month,
    reporter_code,
    reporter_definition,
    -- the published grades; a lower bound where a grade is confidential (see *_lower_bound)
    coalesce(kz_volume_kbbl, 0) as kz_volume_kbbl,
    total_volume_kbbl,
    case when total_volume_kbbl > 0 then coalesce(kz_volume_kbbl, 0) / total_volume_kbbl end as kz_share_volume,
    kz_volume_unavailable_cells > 0 as kz_volume_is_lower_bound,
    coalesce(kz_value_kusd, 0) as kz_value_kusd,
    total_value_kusd,
    case when total_value_kusd > 0 then coalesce(kz_value_kusd, 0) / total_value_kusd end as kz_share_value,
    kz_value_unavailable_cells > 0 as kz_value_is_lower_bound,
    case when volume_complete and value_complete and kz_volume_kbbl > 0 then kz_value_kusd / kz_volume_kbbl end
        as kz_price_usd_bbl,
    case when total_volume_kbbl > 0 then total_value_kusd / total_volume_kbbl end as all_crude_price_usd_bbl,
    case
        when volume_complete and value_complete and kz_volume_kbbl > 0 and total_volume_kbbl > 0
            then kz_value_kusd / kz_volume_kbbl - total_value_kusd / total_volume_kbbl
    end as kz_price_premium_usd_bbl,
    kz_grades_reported,
    kz_volume_unavailable_cells,
    kz_value_unavailable_cells,
    volume_complete,
    value_complete,
    source_dataset
from shares
