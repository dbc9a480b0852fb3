-- One row per energy observation, the latest revision where two files carry the same key;
-- origin and product group resolved from the seeds. Flags stay flags: a confidential figure
-- is NULL with is_confidential, never a zero.
with source as (
    select * from {{ source('energy', 'energy_imports') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by dataset, reporter_code, partner_code, product_code, indicator_code, period_code
            -- Eurostat's LAST UPDATE is dd/mm/yy hh:mm:ss: compare it as a timestamp, not as text
            order by try_strptime(vintage, '%d/%m/%y %H:%M:%S') desc nulls last, _loaded_at desc, _source_file desc
        ) as revision_rank
    from source
)

select
    r.source_format,
    r.dataset,
    r.reporter_code,
    r.partner_code,
    r.partner_label,
    r.product_code,
    -- crude oil registers (coifpm, DG ENER) hold crude only; other datasets map through the seed
    coalesce(p.product_code, case when r.dataset in ('nrg_ti_coifpm', 'dg_ener_coir') then 'crude_oil' end)
        as product_group,
    -- coifpm has no partner dimension: the grade names its origin (TOTAL: all origins)
    coalesce(r.partner_code, g.origin_code) as origin_code,
    g.grade_code is not null as is_coifpm_grade,
    r.indicator_code,
    r.period_code,
    r.period_start,
    r.period_freq,
    r.obs_value,
    r.obs_flag,
    coalesce(contains(r.obs_flag, 'c'), false) as is_confidential,
    r.vintage,
    r.source_url,
    r._source_file as source_file,
    r._loaded_at as loaded_at
from ranked as r
left join {{ ref('energy_products') }} as p
    on p.dataset = r.dataset and p.source_product_code = r.product_code
left join {{ ref('crude_oil_grades') }} as g
    on r.dataset = 'nrg_ti_coifpm' and g.grade_code = r.product_code
where r.revision_rank = 1
