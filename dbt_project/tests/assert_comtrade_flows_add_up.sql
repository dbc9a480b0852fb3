-- UN Comtrade's breakdowns add up to its totals, per reporter, flow, HS code and year: an origin's
-- consignment countries to the origin's total (second partner WORLD), and the origins consigned from
-- one country to the all-origins row of that country (partner WORLD). This is also the evidence that
-- quantities published with the unit N/A are kilograms: they add up exactly with the kg rows.
-- Masses must agree to the kilogram; values to a dollar plus Comtrade's rounding (1e-9 of the total).
{%- set sides = {'partner_code': 'partner2_code', 'partner2_code': 'partner_code'} %}

with flows as (
    select * from {{ ref('stg_comtrade__flows') }}
),

checks as (
    {%- for total_of, parts in sides.items() %}
        select
            reporter_code,
            flow,
            hs_code,
            year,
            '{{ total_of }}' as total_of,
            {{ total_of }} as code,
            count(*) filter (where {{ parts }} <> 'WORLD') as parts,
            count(mass_kg) filter (where {{ parts }} <> 'WORLD') as parts_with_mass,
            sum(mass_kg) filter (where {{ parts }} <> 'WORLD') as parts_mass_kg,
            sum(value_usd) filter (where {{ parts }} <> 'WORLD') as parts_value_usd,
            max(mass_kg) filter (where {{ parts }} = 'WORLD') as total_mass_kg,
            max(value_usd) filter (where {{ parts }} = 'WORLD') as total_value_usd
        from flows
        group by all
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select *
from checks
where
    parts > 0
    and total_value_usd is not null
    and (
        (parts_with_mass = parts and abs(parts_mass_kg - total_mass_kg) > 0.5)
        or abs(parts_value_usd - total_value_usd) > 1 + 1e-9 * total_value_usd
    )
