-- Every series the event study and the lead-lag analysis read, long: one row per series and period, with
-- its frequency and unit. Built from the marts only, so each series has one definition here.
with crude as (
    select * from {{ ref('fct_energy_kz_crude_share_monthly') }}
    where reporter_code = 'EU'
),

eu_exports_monthly as (
    select
        period_month,
        value_eur
    from {{ ref('fct_trade_monthly') }}
    where
        reporter_code = '{{ var("eu27_code") }}' and partner_code = 'KZ'
        and product_code = 'TOTAL' and flow = 'export' and value_eur is not null
),

kz_reported as (
    select
        year,
        max(exports_usd) filter (where partner_code = '{{ var("eu27_code") }}') as exports_eu27,
        max(imports_usd) filter (where partner_code = '{{ var("eu27_code") }}') as imports_eu27,
        max(turnover_usd) filter (where partner_code = '{{ var("eu27_code") }}') as turnover_eu27,
        max(exports_usd) filter (where partner_code = 'WORLD') as exports_world,
        max(imports_usd) filter (where partner_code = 'WORLD') as imports_world
    from {{ ref('fct_kz_partner_trade_annual') }}
    group by year
),

relationship as (
    select * from {{ ref('fct_relationship_annual') }}
    where partner_code = 'KZ'
),

weighted_events as (
    select * from {{ ref('int_relationship__catalogue_events_weighted') }}
),

event_years as (
    select unnest(range(min(year(event_date)), max(year(event_date)) + 1)) as year
    from weighted_events
),

event_quarters as (
    select
        cast(unnest(
            range(
                min(date_trunc('quarter', event_date)),
                max(date_trunc('quarter', event_date)) + interval 1 day,
                interval 3 month
            )
        ) as date) as quarter_start
    from weighted_events
),

series as (
    select
        'eu_crude_from_kz_volume_kbbl' as series_id,
        'monthly' as frequency,
        period_month as period_start,
        kz_volume_kbbl as series_value,
        'thousand barrels' as unit
    from crude
    union all
    select
        'eu_crude_from_kz_value_kusd' as series_id,
        'monthly' as frequency,
        period_month as period_start,
        kz_value_kusd as series_value,
        'thousand US dollars (CIF)' as unit
    from crude
    union all
    select
        'kz_share_of_eu_crude_volume' as series_id,
        'monthly' as frequency,
        period_month as period_start,
        kz_share_volume as series_value,
        'share 0..1' as unit
    from crude
    union all
    select
        'eu_crude_other_origins_volume_kbbl' as series_id,
        'monthly' as frequency,
        period_month as period_start,
        total_volume_kbbl - kz_volume_kbbl as series_value,
        'thousand barrels' as unit
    from crude
    union all
    select
        'eu_crude_other_origins_value_kusd' as series_id,
        'monthly' as frequency,
        period_month as period_start,
        total_value_kusd - kz_value_kusd as series_value,
        'thousand US dollars (CIF)' as unit
    from crude
    union all
    select
        'eu_exports_to_kz_eur' as series_id,
        'monthly' as frequency,
        period_month as period_start,
        value_eur as series_value,
        'euro' as unit
    from eu_exports_monthly
    union all
    select
        'eu_exports_to_kz_eur_quarterly' as series_id,
        'quarterly' as frequency,
        cast(date_trunc('quarter', period_month) as date) as period_start,
        {{ exact_sum('value_eur') }} as series_value,
        'euro' as unit
    from eu_exports_monthly
    group by date_trunc('quarter', period_month)
    having count(*) = 3
    union all
    select
        'diplomacy_weighted_events_quarterly' as series_id,
        'quarterly' as frequency,
        event_quarters.quarter_start as period_start,
        coalesce({{ exact_sum('weighted_events.goldstein_scale') }}, 0) as series_value,
        'sum of Goldstein scores of catalogue events' as unit
    from event_quarters
    left join weighted_events on date_trunc('quarter', weighted_events.event_date) = event_quarters.quarter_start
    group by event_quarters.quarter_start
    union all
    select
        'diplomacy_weighted_events_annual' as series_id,
        'annual' as frequency,
        make_date(cast(event_years.year as integer), 1, 1) as period_start,
        coalesce({{ exact_sum('weighted_events.goldstein_scale') }}, 0) as series_value,
        'sum of Goldstein scores of catalogue events' as unit
    from event_years
    left join weighted_events on year(weighted_events.event_date) = event_years.year
    group by event_years.year
    union all
    select
        'kz_exports_to_eu27_usd' as series_id,
        'annual' as frequency,
        make_date(year, 1, 1) as period_start,
        exports_eu27 as series_value,
        'US dollars' as unit
    from kz_reported
    union all
    select
        'kz_imports_from_eu27_usd' as series_id,
        'annual' as frequency,
        make_date(year, 1, 1) as period_start,
        imports_eu27 as series_value,
        'US dollars' as unit
    from kz_reported
    union all
    select
        'kz_turnover_with_eu27_usd' as series_id,
        'annual' as frequency,
        make_date(year, 1, 1) as period_start,
        turnover_eu27 as series_value,
        'US dollars' as unit
    from kz_reported
    union all
    select
        'kz_exports_to_rest_of_world_usd' as series_id,
        'annual' as frequency,
        make_date(year, 1, 1) as period_start,
        exports_world - exports_eu27 as series_value,
        'US dollars' as unit
    from kz_reported
    union all
    select
        'kz_imports_from_rest_of_world_usd' as series_id,
        'annual' as frequency,
        make_date(year, 1, 1) as period_start,
        imports_world - imports_eu27 as series_value,
        'US dollars' as unit
    from kz_reported
    union all
    select
        'eu27_crude_imports_from_kz_kt' as series_id,
        'annual' as frequency,
        make_date(year, 1, 1) as period_start,
        eu27_crude_imports_from_kz_kt as series_value,
        'thousand tonnes' as unit
    from relationship
    where year >= 1992
    union all
    select
        'eu27_fdi_stock_in_kz_eur_million' as series_id,
        'annual' as frequency,
        make_date(year, 1, 1) as period_start,
        eu27_fdi_stock_in_kz_eur_million as series_value,
        'EUR million' as unit
    from relationship
)

select
    series_id,
    frequency,
    cast(period_start as date) as period_start,
    cast(series_value as double) as series_value,
    unit
from series
where series_value is not null
