-- Kazakhstan's share of the EU's (and each member state's) imports, per year, product and
-- basis (volume, value). Crude oil: from the monthly registers, over the months whose total is
-- published (months_in_share; months_unavailable says how many were left out). Kazakh grades
-- Eurostat keeps confidential are counted (supplier_cells_unavailable), not guessed: the share
-- is then the published grades' share, a lower bound (share_is_lower_bound).
-- Other products: cited published shares (e.g. natural uranium, Euratom Supply Agency).
with monthly as (
    select * from {{ ref('int_energy__kz_crude_share_monthly') }}
),

crude_annual as (
    select
        year(period_month)::integer as year,
        reporter_code,
        reporter_definition,
        source_dataset,
        {{ exact_sum('coalesce(kz_volume_kbbl, 0)', where='total_volume_kbbl is not null') }} as supplier_volume_kbbl,
        {{ exact_sum('total_volume_kbbl') }} as total_volume_kbbl,
        {{ exact_sum('coalesce(kz_value_kusd, 0)', where='total_value_kusd is not null') }} as supplier_value_kusd,
        {{ exact_sum('total_value_kusd') }} as total_value_kusd,
        count(total_volume_kbbl) as volume_months,
        count(*) - count(total_volume_kbbl) as volume_months_unavailable,
        sum(kz_volume_unavailable_cells) filter (where total_volume_kbbl is not null) as volume_cells_unavailable,
        count(total_value_kusd) as value_months,
        count(*) - count(total_value_kusd) as value_months_unavailable,
        sum(kz_value_unavailable_cells) filter (where total_value_kusd is not null) as value_cells_unavailable
    from monthly
    group by all
),

crude as (
    select
        year,
        reporter_code,
        reporter_definition,
        'crude_oil' as product_code,
        'KZ' as supplier_code,
        'volume' as basis,
        case when total_volume_kbbl > 0 then supplier_volume_kbbl / total_volume_kbbl end as share,
        volume_cells_unavailable > 0 as share_is_lower_bound,
        volume_cells_unavailable as supplier_cells_unavailable,
        supplier_volume_kbbl,
        total_volume_kbbl,
        null::double as supplier_value_kusd,
        null::double as total_value_kusd,
        volume_months as months_in_share,
        volume_months_unavailable as months_unavailable,
        source_dataset,
        null as source_url
    from crude_annual
    union all
    select
        year,
        reporter_code,
        reporter_definition,
        'crude_oil' as product_code,
        'KZ' as supplier_code,
        'value' as basis,
        case when total_value_kusd > 0 then supplier_value_kusd / total_value_kusd end as share,
        value_cells_unavailable > 0 as share_is_lower_bound,
        value_cells_unavailable as supplier_cells_unavailable,
        null as supplier_volume_kbbl,
        null as total_volume_kbbl,
        supplier_value_kusd,
        total_value_kusd,
        value_months as months_in_share,
        value_months_unavailable as months_unavailable,
        source_dataset,
        null as source_url
    from crude_annual
),

cited as (
    select
        year(period_start)::integer as year,
        case when reporter_code = 'EU27_2020' then 'EU' else reporter_code end as reporter_code,
        'as cited: ' || reporter_code as reporter_definition,
        product_group as product_code,
        origin_code as supplier_code,
        'volume' as basis,
        obs_value / 100 as share,
        false as share_is_lower_bound,
        null::bigint as supplier_cells_unavailable,
        null::double as supplier_volume_kbbl,
        null::double as total_volume_kbbl,
        null::double as supplier_value_kusd,
        null::double as total_value_kusd,
        null::bigint as months_in_share,
        null::bigint as months_unavailable,
        dataset as source_dataset,
        source_url
    from {{ ref('stg_energy__observations') }}
    where source_format = 'reference_facts' and indicator_code = 'SHARE_PC'
),

candidates as (
    select * from crude
    union all
    select * from cited
)

-- Where two sources give the same year, importer, product and basis, the seed's precedence decides.
select
    c.year,
    c.reporter_code,
    c.reporter_definition,
    c.product_code,
    c.supplier_code,
    c.basis,
    c.share,
    c.share_is_lower_bound,
    c.supplier_cells_unavailable::integer as supplier_cells_unavailable,
    c.supplier_volume_kbbl,
    c.total_volume_kbbl,
    c.supplier_value_kusd,
    c.total_value_kusd,
    c.months_in_share::integer as months_in_share,
    c.months_unavailable::integer as months_unavailable,
    c.source_dataset,
    c.source_url
from candidates as c
left join {{ ref('energy_source_precedence') }} as p on p.source_dataset = c.source_dataset
-- A year whose months are all unavailable stays, with share NULL and months_unavailable saying why.
qualify row_number() over (
    partition by c.year, c.reporter_code, c.product_code, c.supplier_code, c.basis
    order by c.share is null, p.precedence nulls last
) = 1
