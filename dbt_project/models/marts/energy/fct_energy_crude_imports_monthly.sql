-- Monthly crude oil imports by importer, origin and grade (Kazakh grades in detail, all crude
-- as the total), with each row's share of the importer's crude that month.
with imports as (
    select * from {{ ref('int_energy__crude_imports_monthly') }}
),

totals as (
    select
        period_month,
        reporter_code,
        source_dataset,
        volume_kbbl as total_volume_kbbl,
        value_kusd as total_value_kusd
    from imports
    where origin_code = 'ALL'
)

select
    i.period_month,
    i.reporter_code,
    i.reporter_definition,
    i.origin_code,
    i.grade_code,
    coalesce(g.grade_label, i.grade_code) as grade_label,
    i.origin_label,
    i.volume_kbbl,
    i.value_kusd,
    case when i.volume_kbbl > 0 then i.value_kusd / i.volume_kbbl end as price_usd_bbl,
    i.published_price_usd_bbl,
    case when t.total_volume_kbbl > 0 then i.volume_kbbl / t.total_volume_kbbl end as share_of_volume,
    case when t.total_value_kusd > 0 then i.value_kusd / t.total_value_kusd end as share_of_value,
    i.volume_flag,
    i.value_flag,
    i.volume_confidential,
    i.value_confidential,
    i.source_dataset,
    i.source_file
from imports as i
left join totals as t
    on t.period_month = i.period_month and t.reporter_code = i.reporter_code and t.source_dataset = i.source_dataset
left join {{ ref('crude_oil_grades') }} as g
    on i.source_dataset = 'nrg_ti_coifpm' and g.grade_code = i.grade_code
