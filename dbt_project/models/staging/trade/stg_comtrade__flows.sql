-- UN Comtrade rows, one per reporter, flow, partner, second partner, HS code and year (where two
-- landed files hold the same key, the latest loaded wins). Quantities become kilograms: Comtrade's
-- unit `N/A` is read as kg because those quantities add up exactly with the kg rows of the same
-- flows (test assert_comtrade_flows_add_up); the flag keeps which unit was published.
with source as (
    select *
    from {{ source('trade', 'comtrade_flows') }}
    qualify row_number() over (
        partition by reporter_code, flow, partner_code, partner2_code, hs_code, year
        order by _loaded_at desc, _source_file desc
    ) = 1
)

select
    year,
    reporter_code,
    reporter_label,
    flow,
    partner_code,
    partner_label,
    partner2_code,
    partner2_label,
    hs_code,
    commodity_label,
    case when quantity_unit in ('kg', 'N/A') then quantity end as mass_kg,
    coalesce(quantity_unit = 'N/A', false) as mass_unit_not_published,
    value_usd,
    _source_file as source_file,
    source_line
from source
