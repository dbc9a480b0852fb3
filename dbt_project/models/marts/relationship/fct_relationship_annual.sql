-- The relationship with each partner, one row per year, metrics side by side: EU27 trade
-- (Comext), Kazakhstan's share of EU crude imports (crude registers), crude imported from
-- the partner (nrg_ti_oil), diplomatic activity (catalogue and GDELT), Kazakhstan's own view of
-- its trade with the EU27 (BNS, IMF DOTS), the EU27's FDI stock in Kazakhstan (wiiw) and Kazakhstan's
-- shares of the EU27's critical-raw-material imports (Comext CN8). Energy, diplomacy,
-- Kazakhstan-reported trade, FDI and raw materials cover Kazakhstan only: NULL for other partners.
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
    union
    select
        year,
        'KZ' as partner_code
    from {{ ref('fct_kz_partner_trade_annual') }}
    where partner_code = 'EU27_2020'
    union
    select
        year,
        'KZ' as partner_code
    from {{ ref('fct_fdi_kz_eu_share_annual') }}
    union
    select
        year,
        'KZ' as partner_code
    from {{ ref('fct_trade_critical_raw_materials_by_material_annual') }}
),

trade as (
    select * from {{ ref('fct_trade_balance_annual') }}
    where reporter_code = 'EU27_2020'
),

-- Kazakhstan's shares of EU crude oil imports and of natural uranium deliveries: one row a year
energy_shares as (
    select
        year,
        max(share) filter (where product_code = 'crude_oil' and basis = 'volume')
            as kz_share_of_eu_crude_imports_volume,
        max(share) filter (where product_code = 'crude_oil' and basis = 'value')
            as kz_share_of_eu_crude_imports_value,
        max(source_dataset) filter (where product_code = 'crude_oil') as crude_share_source,
        max(share) filter (where product_code = 'uranium_natural') as kz_share_of_eu_natural_uranium
    from {{ ref('fct_energy_supplier_share_annual') }}
    where reporter_code = 'EU' and supplier_code = 'KZ' and product_code in ('crude_oil', 'uranium_natural')
    group by year
),

crude_mass as (
    select
        year,
        mass_kt as eu27_crude_imports_from_kz_kt
    from {{ ref('fct_energy_imports_from_kz_annual') }}
    where reporter_code = 'EU27_2020' and product_code = 'crude_oil'
),

kz_reported as (
    select
        year,
        exports_usd as kz_reported_exports_to_eu27_usd,
        imports_usd as kz_reported_imports_from_eu27_usd,
        exports_share as eu27_share_of_kz_exports,
        turnover_share as eu27_share_of_kz_turnover,
        source as kz_reported_trade_source
    from {{ ref('fct_kz_partner_trade_annual') }}
    where partner_code = 'EU27_2020'
),

fdi as (
    select
        year,
        eu27_inward_stock_eur_million as eu27_fdi_stock_in_kz_eur_million,
        eu27_share_of_inward_stock as eu27_share_of_kz_fdi_stock,
        netherlands_share_of_eu27_inward_stock as netherlands_share_of_eu27_fdi_stock
    from {{ ref('fct_fdi_kz_eu_share_annual') }}
),

-- Kazakhstan's share over the 66 codes together (material group ALL), and the CN8 code where its
-- share of extra-EU imports is largest (ties: the lower code)
crm_rows as (
    select
        year,
        value_eur as all_codes_value_eur,
        coalesce(share_of_extra_eu_imports, 0) as all_codes_share,
        null::double as code_share,
        null::varchar as product_code
    from {{ ref('fct_trade_critical_raw_materials_by_material_annual') }}
    where material_group = 'ALL' and partner_code = 'KZ'
    union all
    select
        year,
        null::double as all_codes_value_eur,
        null::double as all_codes_share,
        share_of_extra_eu_imports as code_share,
        product_code
    from {{ ref('fct_trade_critical_raw_materials_annual') }}
    where partner_code = 'KZ' and share_of_extra_eu_imports > 0
),

crm as (
    select
        year,
        max(all_codes_value_eur) as kz_critical_raw_material_imports_eur,
        max(all_codes_share) as kz_share_of_eu27_critical_raw_material_imports,
        max(code_share) as kz_largest_share_of_eu27_cn8_imports,
        arg_max(product_code, (code_share, -product_code::bigint)) filter (where code_share is not null)
            as kz_largest_share_cn8_code
    from crm_rows
    group by year
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
    e.kz_share_of_eu_crude_imports_volume,
    e.kz_share_of_eu_crude_imports_value,
    e.crude_share_source,
    m.eu27_crude_imports_from_kz_kt,
    e.kz_share_of_eu_natural_uranium,
    case when y.partner_code = 'KZ' then coalesce(d.catalogue_events, 0) end::integer as catalogue_events,
    case when y.partner_code = 'KZ' then coalesce(d.gdelt_kz_eu_events, 0) end::integer as gdelt_kz_eu_events,
    d.gdelt_kz_eu_goldstein_mean,
    k.kz_reported_exports_to_eu27_usd,
    k.kz_reported_imports_from_eu27_usd,
    k.eu27_share_of_kz_exports,
    k.eu27_share_of_kz_turnover,
    k.kz_reported_trade_source,
    f.eu27_fdi_stock_in_kz_eur_million,
    f.eu27_share_of_kz_fdi_stock,
    f.netherlands_share_of_eu27_fdi_stock,
    r.kz_critical_raw_material_imports_eur,
    r.kz_share_of_eu27_critical_raw_material_imports,
    r.kz_largest_share_of_eu27_cn8_imports,
    r.kz_largest_share_cn8_code
from years as y
left join trade as t on t.year = y.year and t.partner_code = y.partner_code
left join energy_shares as e on e.year = y.year and y.partner_code = 'KZ'
left join crude_mass as m on m.year = y.year and y.partner_code = 'KZ'
left join diplomacy as d on d.year = y.year and y.partner_code = 'KZ'
left join kz_reported as k on k.year = y.year and y.partner_code = 'KZ'
left join fdi as f on f.year = y.year and y.partner_code = 'KZ'
left join crm as r on r.year = y.year and y.partner_code = 'KZ'
