-- The DG ENER register (to 2019) and Eurostat's nrg_ti_coifpm (its successor) are one series:
-- where both give the EU's crude imports of a year, they agree within 1 % (Eurostat revises;
-- 2013-2019 in the snapshot differ by at most 0.5 %). A larger gap means a unit or scope error.
{{ config(meta={'dagster': {'ref': {'name': 'int_energy__crude_imports_monthly'}}}) }}
with annual as (
    select
        year(period_month) as year,
        source_dataset,
        sum(volume_kbbl) as volume_kbbl,
        count(*) as months
    from {{ ref('int_energy__crude_imports_monthly') }}
    where reporter_code = 'EU' and origin_code = 'ALL'
    group by all
)

select
    r.year,
    r.volume_kbbl as register_kbbl,
    c.volume_kbbl as coifpm_kbbl
from annual as r
inner join annual as c on c.year = r.year and c.source_dataset = 'nrg_ti_coifpm'
where
    r.source_dataset = 'dg_ener_coir' and r.months = 12 and c.months = 12
    and abs(r.volume_kbbl / c.volume_kbbl - 1) > 0.01
