-- Germany's crude oil imports (HS 2709) per year and country of origin (UN Comtrade, Germany as
-- reporter): the origin's total, how much of it was consigned from the origin itself, from a third
-- country and from Russia, with the third-country and Russian shares by mass and by value, and the
-- origin's share of all German crude imports. Consignment figures are NULL for years Comtrade
-- publishes no breakdown (2019); with a breakdown, a route without a row is zero.
{%- set routes = {
    'origin': "consignment_route = 'origin'",
    'third_countries': "consignment_route = 'third_country'",
    'russia': "consignment_code = 'RU' and origin_code <> 'RU'",
} %}

with routes as (
    select * from {{ ref('fct_energy_de_crude_by_origin_and_consignment_annual') }}
),

crude_imports as (
    select *
    from {{ ref('stg_comtrade__flows') }}
    where reporter_code = 'DE' and flow = 'import' and hs_code = '2709'
),

german_totals as (
    select
        year::integer as year,
        mass_kg as all_origins_mass_kg,
        value_usd as all_origins_value_usd
    from crude_imports
    where partner_code = 'WORLD' and partner2_code = 'WORLD'
),

unit_flags as (
    select
        year::integer as year,
        partner_code as origin_code,
        bool_or(mass_unit_not_published) as mass_unit_not_published
    from crude_imports
    group by all
),

by_origin as (
    select
        year,
        reporter_code,
        origin_code,
        any_value(origin_label) as origin_label,
        any_value(origin_mass_kg) as mass_kg,
        any_value(origin_value_usd) as value_usd,
        {%- for route, condition in routes.items() %}
            coalesce({{ exact_sum('mass_kg', where=condition) }}, 0) as mass_kg_consigned_from_{{ route }},
            coalesce({{ exact_sum('value_usd', where=condition) }}, 0) as value_usd_consigned_from_{{ route }},
        {%- endfor %}
        bool_and(consignment_route <> 'not_published') as consignment_published
    from routes
    group by year, reporter_code, origin_code
)

select
    o.year,
    o.reporter_code,
    o.origin_code,
    o.origin_label,
    o.mass_kg,
    o.mass_kg / 1000 as mass_t,
    o.value_usd,
    o.consignment_published,
    {%- for route in routes %}
        case when o.consignment_published then o.mass_kg_consigned_from_{{ route }} end
            as mass_kg_consigned_from_{{ route }},
        case when o.consignment_published then o.value_usd_consigned_from_{{ route }} end
            as value_usd_consigned_from_{{ route }},
    {%- endfor %}
    case when o.consignment_published then o.mass_kg_consigned_from_third_countries / nullif(o.mass_kg, 0) end
        as third_country_share_of_mass,
    case when o.consignment_published then o.value_usd_consigned_from_third_countries / nullif(o.value_usd, 0) end
        as third_country_share_of_value,
    case when o.consignment_published then o.mass_kg_consigned_from_russia / nullif(o.mass_kg, 0) end
        as russia_share_of_mass,
    case when o.consignment_published then o.value_usd_consigned_from_russia / nullif(o.value_usd, 0) end
        as russia_share_of_value,
    o.mass_kg / nullif(g.all_origins_mass_kg, 0) as share_of_german_crude_imports_mass,
    o.value_usd / nullif(g.all_origins_value_usd, 0) as share_of_german_crude_imports_value,
    f.mass_unit_not_published
from by_origin as o
left join german_totals as g on g.year = o.year
left join unit_flags as f on f.year = o.year and f.origin_code = o.origin_code
