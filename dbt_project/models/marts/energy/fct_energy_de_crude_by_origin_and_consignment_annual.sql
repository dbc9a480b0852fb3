-- Germany's crude oil imports (HS 2709) per year, country of origin and country of consignment, as
-- Germany reports them to UN Comtrade: how much crude of one origin reaches Germany shipped from
-- another country (Kazakh crude consigned from Russia). Where Comtrade publishes no consignment
-- breakdown for an origin and year (2019), its total appears once with consignment WORLD.
with flows as (
    select *
    from {{ ref('stg_comtrade__flows') }}
    where reporter_code = 'DE' and flow = 'import' and hs_code = '2709' and partner_code <> 'WORLD'
),

origin_totals as (
    select
        year,
        partner_code,
        mass_kg as origin_mass_kg,
        value_usd as origin_value_usd
    from flows
    where partner2_code = 'WORLD'
),

broken_down as (
    select distinct
        year,
        partner_code
    from flows
    where partner2_code <> 'WORLD'
),

routes as (
    select f.*
    from flows as f
    left join broken_down as b on b.year = f.year and b.partner_code = f.partner_code
    -- the consignment rows where published, else the origin's total
    where (f.partner2_code <> 'WORLD') = (b.partner_code is not null)
)

select
    r.year::integer as year,
    r.reporter_code,
    r.partner_code as origin_code,
    r.partner_label as origin_label,
    r.partner2_code as consignment_code,
    r.partner2_label as consignment_label,
    case
        when r.partner2_code = 'WORLD' then 'not_published'
        when r.partner2_code = r.partner_code then 'origin'
        else 'third_country'
    end as consignment_route,
    r.mass_kg,
    r.mass_kg / 1000 as mass_t,
    r.value_usd,
    t.origin_mass_kg,
    t.origin_value_usd,
    r.mass_kg / nullif(t.origin_mass_kg, 0) as share_of_origin_mass,
    r.value_usd / nullif(t.origin_value_usd, 0) as share_of_origin_value,
    r.mass_unit_not_published,
    r.source_file
from routes as r
left join origin_totals as t on t.year = r.year and t.partner_code = r.partner_code
