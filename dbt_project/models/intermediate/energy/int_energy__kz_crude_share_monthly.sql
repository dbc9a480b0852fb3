-- Kazakhstan's crude (all Kazakh grades) against all crude, per month and reporter.
-- A month counts towards a share only when both sides are published for it: confidential
-- cells are counted (kz_unavailable_cells, total_confidential) rather than read as zeros.
with imports as (
    select * from {{ ref('int_energy__crude_imports_monthly') }}
),

kazakh as (
    select
        period_month,
        reporter_code,
        source_dataset,
        {{ exact_sum('volume_kbbl') }} as kz_volume_kbbl,
        {{ exact_sum('value_kusd') }} as kz_value_kusd,
        count(*) filter (where volume_kbbl is null) as kz_volume_unavailable_cells,
        count(*) filter (where value_kusd is null) as kz_value_unavailable_cells,
        count(*) as kz_grades_reported
    from imports
    where origin_code = 'KZ'
    group by all
),

-- Kazakh detail exists only for some months (coifpm grades from 2020): other months are left
-- out, since there the Kazakh figure is unknown, not zero.
months_with_detail as (
    select distinct
        period_month,
        source_dataset
    from kazakh
),

all_crude as (
    select
        period_month,
        reporter_code,
        reporter_definition,
        source_dataset,
        volume_kbbl as total_volume_kbbl,
        value_kusd as total_value_kusd,
        volume_confidential as total_volume_confidential,
        value_confidential as total_value_confidential
    from imports
    where origin_code = 'ALL'
)

select
    t.period_month,
    t.reporter_code,
    t.reporter_definition,
    t.source_dataset,
    -- no Kazakh row for a reporter in a month with detail: it imported no Kazakh crude then
    coalesce(k.kz_volume_kbbl, case when k.reporter_code is null then 0 end) as kz_volume_kbbl,
    coalesce(k.kz_value_kusd, case when k.reporter_code is null then 0 end) as kz_value_kusd,
    t.total_volume_kbbl,
    t.total_value_kusd,
    coalesce(k.kz_volume_unavailable_cells, 0) as kz_volume_unavailable_cells,
    coalesce(k.kz_value_unavailable_cells, 0) as kz_value_unavailable_cells,
    t.total_volume_confidential,
    t.total_value_confidential,
    coalesce(k.kz_grades_reported, 0) as kz_grades_reported,
    (coalesce(k.kz_volume_unavailable_cells, 0) = 0 and t.total_volume_kbbl is not null) as volume_complete,
    (coalesce(k.kz_value_unavailable_cells, 0) = 0 and t.total_value_kusd is not null) as value_complete
from all_crude as t
left join kazakh as k
    on k.period_month = t.period_month and k.reporter_code = t.reporter_code and k.source_dataset = t.source_dataset
left join months_with_detail as d
    on d.period_month = t.period_month and d.source_dataset = t.source_dataset
where d.period_month is not null
