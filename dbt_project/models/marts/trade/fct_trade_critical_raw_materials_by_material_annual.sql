{{ config(contract={'enforced': true}) }}
-- The critical-raw-material imports rolled up by material group (battery metals, rare earths...)
-- and over all 66 codes (ALL): per group, partner and year the EU27's imports summed over the
-- group's CN8 codes (distinct codes, so no figure is counted twice), with the partner's share of
-- the group's extra-EU imports.
-- Normal customs procedure only, as in fct_trade_critical_raw_materials_annual.
with imports as (
    select * from {{ ref('int_trade_critical_raw_materials_imports_eu27') }}
),

by_group as (
    select
        year,
        reporter_code,
        material_group,
        partner_code,
        partner_scope,
        {{ exact_sum('value_eur') }} as value_eur,
        cast(count(*) filter (where value_eur > 0) as integer) as cn8_codes_imported
    from imports
    group by year, reporter_code, material_group, partner_code, partner_scope
    union all
    -- ALL: the 66 codes together
    select
        year,
        reporter_code,
        'ALL' as material_group,
        partner_code,
        partner_scope,
        {{ exact_sum('value_eur') }} as value_eur,
        cast(count(*) filter (where value_eur > 0) as integer) as cn8_codes_imported
    from imports
    group by year, reporter_code, partner_code, partner_scope
),

with_totals as (
    select
        *,
        {{ exact_sum('value_eur', where="partner_scope = 'extra'", over='partition by year, material_group') }}
            as extra_eu_imports_eur
    from by_group
)

select
    year,
    reporter_code,
    material_group,
    partner_code,
    partner_scope,
    value_eur,
    cn8_codes_imported,
    extra_eu_imports_eur,
    case when partner_scope = 'extra' and extra_eu_imports_eur > 0 then value_eur / extra_eu_imports_eur end
        as share_of_extra_eu_imports,
    cast(case when partner_scope = 'extra' and value_eur > 0 then rank() over (
        partition by year, material_group, partner_scope = 'extra' and value_eur > 0 order by value_eur desc
    ) end as integer) as extra_eu_supplier_rank
from with_totals
