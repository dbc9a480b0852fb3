{{ config(contract={'enforced': true}) }}
-- EU27 imports of each critical-raw-material CN8 code by partner and year, with each extra-EU
-- partner's share of the EU's extra-EU imports of that code and its rank among the suppliers.
-- The extract holds the normal customs procedure only: totals run low (processing trade is out).
with imports as (
    select * from {{ ref('int_trade_critical_raw_materials_imports_eu27') }}
),

with_totals as (
    select
        *,
        {{ exact_sum('value_eur', where="partner_scope = 'extra'", over='partition by year, product_code') }}
            as extra_eu_imports_eur,
        count(*) filter (where partner_scope = 'extra' and value_eur > 0) over (partition by year, product_code)
            as extra_eu_suppliers
    from imports
),

ranked as (
    select
        *,
        case when partner_scope = 'extra' and value_eur > 0 then rank() over (
            partition by year, product_code, partner_scope = 'extra' and value_eur > 0 order by value_eur desc
        ) end as extra_eu_supplier_rank
    from with_totals
)

select
    year,
    reporter_code,
    product_code,
    material_group,
    material_name,
    material_stage,
    partner_code,
    partner_scope,
    value_eur,
    extra_eu_imports_eur,
    case when partner_scope = 'extra' and extra_eu_imports_eur > 0 then value_eur / extra_eu_imports_eur end
        as share_of_extra_eu_imports,
    cast(extra_eu_supplier_rank as integer) as extra_eu_supplier_rank,
    cast(extra_eu_suppliers as integer) as extra_eu_suppliers,
    member_states_reporting,
    source_file
from ranked
