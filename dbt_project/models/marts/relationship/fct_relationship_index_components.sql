{{ config(contract={'enforced': true}) }}
-- The relationship index's inputs, long: one row per year and component, raw values with their unit,
-- orientation (+1: more means a closer relationship) and group. The index itself is computed from this
-- table only (int_relationship__index_*), so anyone can recompute it from here.
with relationship as (
    select * from {{ ref('fct_relationship_annual') }}
    where partner_code = 'KZ'
),

diplomacy as (
    select
        year(period_start) as year,
        series_value
    from {{ ref('int_relationship__series') }}
    where series_id = 'diplomacy_weighted_events_annual'
),

components as (
    select
        year,
        'kz_turnover_with_eu27_usd' as component,
        'trade' as component_group,
        (kz_reported_exports_to_eu27_usd + kz_reported_imports_from_eu27_usd) as component_value,
        'US dollars' as unit,
        'fct_kz_partner_trade_annual (EU27_2020, Kazakhstan reporting: BNS from 2018, IMF DOTS before)' as source
    from relationship
    union all
    select
        year,
        'eu27_share_of_kz_turnover' as component,
        'trade' as component_group,
        eu27_share_of_kz_turnover as component_value,
        'share 0..1' as unit,
        'fct_kz_partner_trade_annual (EU27_2020 turnover_share)' as source
    from relationship
    union all
    select
        year,
        'kz_share_of_extra_eu27_exports' as component,
        'trade' as component_group,
        share_of_extra_eu27_exports as component_value,
        'share 0..1' as unit,
        'fct_trade_balance_annual (Comext, EU27_2020 exports to KZ / extra-EU exports)' as source
    from relationship
    union all
    select
        year,
        'kz_share_of_eu_crude_imports_volume' as component,
        'energy' as component_group,
        kz_share_of_eu_crude_imports_volume as component_value,
        'share 0..1' as unit,
        'fct_energy_supplier_share_annual (DG ENER register to 2019, nrg_ti_coifpm from 2020)' as source
    from relationship
    union all
    select
        year,
        'eu27_share_of_kz_fdi_stock' as component,
        'finance' as component_group,
        eu27_share_of_kz_fdi_stock as component_value,
        'share 0..1' as unit,
        'fct_fdi_kz_eu_share_annual (wiiw FDI Database, National Bank of Kazakhstan)' as source
    from relationship
    union all
    select
        year,
        'diplomacy_weighted_events' as component,
        'diplomacy' as component_group,
        series_value as component_value,
        'sum of Goldstein scores of catalogue events' as unit,
        'fct_diplomatic_events (catalogue) x seed diplomatic_event_type_cameo x seed cameo_event_codes' as source
    from diplomacy
)

select
    cast(year as integer) as year,
    component,
    component_group,
    cast(component_value as double) as component_value,
    cast(1 as integer) as orientation,
    unit,
    source
from components
where component_value is not null
