-- The relationship with each partner, one row per year, metrics side by side: EU27 trade
-- (Comext), Kazakhstan's share of EU crude imports (crude registers), crude imported from
-- the partner (nrg_ti_oil), and diplomatic activity (catalogue and GDELT). Energy and
-- diplomacy cover Kazakhstan only, so for other partners those columns are NULL.
with years as (
    select
        year,
        partner_code
    from {{ ref('fct_trade_balance_annual') }}
    where reporter_code = 'EU27_2020'
    union
    select
        year,
        'KZ' as partner_code
    from {{ ref('fct_energy_supplier_share_annual') }}
    where reporter_code = 'EU'
    union
    select
        year,
        'KZ' as partner_code
    from {{ ref('fct_energy_imports_from_kz_annual') }}
    where reporter_code = 'EU27_2020'
    union
    select
        year(event_date) as year,
        'KZ' as partner_code
    from {{ ref('fct_diplomatic_events') }}
),

trade as (
    select * from {{ ref('fct_trade_balance_annual') }}
    where reporter_code = 'EU27_2020'
),

crude_share as (
    select
        year,
        max(share) filter (where basis = 'volume') as kz_share_of_eu_crude_imports_volume,
        max(share) filter (where basis = 'value') as kz_share_of_eu_crude_imports_value,
        max(source_dataset) as crude_share_source
    from {{ ref('fct_energy_supplier_share_annual') }}
    where reporter_code = 'EU' and product_code = 'crude_oil' and supplier_code = 'KZ'
    group by year
),

uranium as (
    select
        year,
        share as kz_share_of_eu_natural_uranium
    from {{ ref('fct_energy_supplier_share_annual') }}
    where reporter_code = 'EU' and product_code = 'uranium_natural' and supplier_code = 'KZ'
),

crude_mass as (
    select
        year,
        mass_kt as eu27_crude_imports_from_kz_kt
    from {{ ref('fct_energy_imports_from_kz_annual') }}
    where reporter_code = 'EU27_2020' and product_code = 'crude_oil'
),

diplomacy as (
    select
        year(event_date) as year,
        count(*) filter (where origin = 'catalogue') as catalogue_events,
        count(*) filter (where origin = 'gdelt') as gdelt_kz_eu_events,
        (
            {{ exact_sum('goldstein_scale', where="origin = 'gdelt'") }}
            / nullif(count(goldstein_scale) filter (where origin = 'gdelt'), 0)
        ) as gdelt_kz_eu_goldstein_mean
    from {{ ref('fct_diplomatic_events') }}
    group by all
)

select
    y.year::integer as year,
    y.partner_code,
    t.exports_eur as eu27_exports_eur,
    t.imports_eur as eu27_imports_eur,
    t.balance_eur as eu27_balance_eur,
    t.turnover_eur as eu27_turnover_eur,
    t.cover_ratio_pct as eu27_cover_ratio_pct,
    t.hs27_share_of_imports as eu27_hs27_share_of_imports,
    t.share_of_extra_eu27_exports,
    c.kz_share_of_eu_crude_imports_volume,
    c.kz_share_of_eu_crude_imports_value,
    c.crude_share_source,
    m.eu27_crude_imports_from_kz_kt,
    u.kz_share_of_eu_natural_uranium,
    case when y.partner_code = 'KZ' then coalesce(d.catalogue_events, 0) end::integer as catalogue_events,
    case when y.partner_code = 'KZ' then coalesce(d.gdelt_kz_eu_events, 0) end::integer as gdelt_kz_eu_events,
    d.gdelt_kz_eu_goldstein_mean
from years as y
left join trade as t on t.year = y.year and t.partner_code = y.partner_code
left join crude_share as c on c.year = y.year and y.partner_code = 'KZ'
left join uranium as u on u.year = y.year and y.partner_code = 'KZ'
left join crude_mass as m on m.year = y.year and y.partner_code = 'KZ'
left join diplomacy as d on d.year = y.year and y.partner_code = 'KZ'
