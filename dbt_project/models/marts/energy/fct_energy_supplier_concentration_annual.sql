-- How concentrated each importer's crude supply is, per year: HHI and Shannon diversity over
-- origins, where every origin is known (the DG ENER register lists them all; coifpm gives
-- Kazakh grades and the total only, so it has no row here). The register's residual groups
-- ("Other African Countries", ...) count as one supplier each, which slightly understates
-- concentration's complement (diversity).
with imports as (
    select * from {{ ref('int_energy__crude_imports_monthly') }}
    where source_dataset = 'dg_ener_coir' and origin_code <> 'ALL'
),

by_origin as (
    select
        year(period_month)::integer as year,
        reporter_code,
        origin_code,
        {{ exact_sum('volume_kbbl') }} as volume_kbbl,
        {{ exact_sum('value_kusd') }} as value_kusd
    from imports
    group by all
),

long as (
    select
        year,
        reporter_code,
        origin_code,
        'volume' as basis,
        volume_kbbl as amount
    from by_origin
    union all
    select
        year,
        reporter_code,
        origin_code,
        'value' as basis,
        value_kusd as amount
    from by_origin
),

shares as (
    select
        *,
        amount / {{ exact_sum('amount', over='partition by year, reporter_code, basis') }} as share
    from long
    where amount > 0
)

select
    year,
    reporter_code,
    'crude_oil' as product_code,
    basis,
    count(*)::integer as suppliers,
    {{ exact_sum('share * share') }} as hhi,
    case
        when {{ exact_sum('share * share') }} < 0.15 then 'unconcentrated'
        when {{ exact_sum('share * share') }} <= 0.25 then 'moderately concentrated'
        else 'highly concentrated'
    end as hhi_band,
    -{{ exact_sum('share * ln(share)') }} as shannon_index,
    case when count(*) > 1 then -{{ exact_sum('share * ln(share)') }} / ln(count(*)) end as shannon_evenness,
    coalesce(max(share) filter (where origin_code = 'KZ'), 0) as kz_share,
    arg_max(origin_code, share) as largest_supplier_code,
    max(share) as largest_supplier_share,
    'dg_ener_coir' as source_dataset
from shares
group by year, reporter_code, basis
