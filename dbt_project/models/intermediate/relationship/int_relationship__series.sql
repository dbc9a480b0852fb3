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
    select
        events.event_date,
        codes.goldstein_scale
    from {{ ref('fct_diplomatic_events') }} as events
    inner join {{ ref('diplomatic_event_type_cameo') }} as types on types.event_type = events.event_type
    inner join {{ ref('cameo_event_codes') }} as codes on codes.cameo_code = types.cameo_code
    where events.origin = 'catalogue'
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
        kz_volume_kbbl as value,
        'thousand barrels' as unit
    from crude
    union all
    select
        'eu_crude_from_kz_value_kusd',
        'monthly',
        period_month,
        kz_value_kusd,
        'thousand US dollars (CIF)'
    from crude
    union all
    select
        'kz_share_of_eu_crude_volume',
        'monthly',
        period_month,
        kz_share_volume,
        'share 0..1'
    from crude
    union all
    select
        'eu_crude_other_origins_volume_kbbl',
        'monthly',
        period_month,
        total_volume_kbbl - kz_volume_kbbl,
        'thousand barrels'
    from crude
    union all
    select
        'eu_crude_other_origins_value_kusd',
        'monthly',
        period_month,
        total_value_kusd - kz_value_kusd,
        'thousand US dollars (CIF)'
    from crude
    union all
    select
        'eu_exports_to_kz_eur',
        'monthly',
        period_month,
        value_eur,
        'euro'
    from eu_exports_monthly
    union all
    select
        'eu_exports_to_kz_eur_quarterly',
        'quarterly',
        cast(date_trunc('quarter', period_month) as date),
        {{ exact_sum('value_eur') }},
        'euro'
    from eu_exports_monthly
    group by date_trunc('quarter', period_month)
    having count(*) = 3
    union all
    select
        'diplomacy_weighted_events_quarterly',
        'quarterly',
        event_quarters.quarter_start,
        coalesce({{ exact_sum('weighted_events.goldstein_scale') }}, 0),
        'sum of Goldstein scores of catalogue events'
    from event_quarters
    left join weighted_events on date_trunc('quarter', weighted_events.event_date) = event_quarters.quarter_start
    group by event_quarters.quarter_start
    union all
    select
        'diplomacy_weighted_events_annual',
        'annual',
        make_date(cast(event_years.year as integer), 1, 1),
        coalesce({{ exact_sum('weighted_events.goldstein_scale') }}, 0),
        'sum of Goldstein scores of catalogue events'
    from event_years
    left join weighted_events on year(weighted_events.event_date) = event_years.year
    group by event_years.year
    union all
    select
        'kz_exports_to_eu27_usd',
        'annual',
        make_date(year, 1, 1),
        exports_eu27,
        'US dollars'
    from kz_reported
    union all
    select
        'kz_imports_from_eu27_usd',
        'annual',
        make_date(year, 1, 1),
        imports_eu27,
        'US dollars'
    from kz_reported
    union all
    select
        'kz_turnover_with_eu27_usd',
        'annual',
        make_date(year, 1, 1),
        turnover_eu27,
        'US dollars'
    from kz_reported
    union all
    select
        'kz_exports_to_rest_of_world_usd',
        'annual',
        make_date(year, 1, 1),
        exports_world - exports_eu27,
        'US dollars'
    from kz_reported
    union all
    select
        'kz_imports_from_rest_of_world_usd',
        'annual',
        make_date(year, 1, 1),
        imports_world - imports_eu27,
        'US dollars'
    from kz_reported
    union all
    select
        'eu27_crude_imports_from_kz_kt',
        'annual',
        make_date(year, 1, 1),
        eu27_crude_imports_from_kz_kt,
        'thousand tonnes'
    from relationship
    where year >= 1992
    union all
    select
        'eu27_fdi_stock_in_kz_eur_million',
        'annual',
        make_date(year, 1, 1),
        eu27_fdi_stock_in_kz_eur_million,
        'EUR million'
    from relationship
)

select
    series_id,
    frequency,
    cast(period_start as date) as period_start,
    cast(value as double) as value,
    unit
from series
where value is not null
