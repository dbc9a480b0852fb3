-- Kazakh crude per year, importer and grade, with the grade's share of the importer's crude
-- over the months the grade is published (confidential months counted, not guessed).
with imports as (
    select * from {{ ref('int_energy__crude_imports_monthly') }}
),

totals as (
    select
        period_month,
        reporter_code,
        source_dataset,
        volume_kbbl as total_volume_kbbl
    from imports
    where origin_code = 'ALL'
)

select
    year(i.period_month)::integer as year,
    i.reporter_code,
    i.grade_code,
    coalesce(any_value(g.grade_label), i.grade_code) as grade_label,
    {{ exact_sum('i.volume_kbbl') }} as volume_kbbl,
    {{ exact_sum('i.value_kusd') }} as value_kusd,
    (
        {{ exact_sum('i.value_kusd', where='i.volume_kbbl is not null') }}
        / nullif({{ exact_sum('i.volume_kbbl', where='i.value_kusd is not null') }}, 0)
    ) as price_usd_bbl,
    (
        {{ exact_sum('i.volume_kbbl', where='t.total_volume_kbbl is not null') }}
        / nullif({{ exact_sum('t.total_volume_kbbl', where='i.volume_kbbl is not null') }}, 0)
    ) as share_of_volume,
    count(i.volume_kbbl)::integer as months_published,
    (count(*) - count(i.volume_kbbl))::integer as months_unavailable,
    i.source_dataset
from imports as i
left join totals as t
    on t.period_month = i.period_month and t.reporter_code = i.reporter_code and t.source_dataset = i.source_dataset
left join {{ ref('crude_oil_grades') }} as g
    on i.source_dataset = 'nrg_ti_coifpm' and g.grade_code = i.grade_code
where i.origin_code = 'KZ'
group by year(i.period_month), i.reporter_code, i.grade_code, i.source_dataset
