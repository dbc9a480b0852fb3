-- Annual trade metrics per reporter and partner (product TOTAL): balance, turnover, cover
-- ratio, growth on the year before, HS 27 share of imports, the partner's share of EU27
-- extra-EU exports, and the member states' ranking as importers from and exporters to it.
with annual as (
    select * from {{ ref('fct_trade_annual') }}
),

members as (
    select geo_code from {{ ref('eu27_member_states') }}
),

pivoted as (
    select
        year,
        reporter_code,
        partner_code,
        {{ trade_flow_pivot() }},
        max(months_reported) filter (where flow = 'export' and product_code = 'TOTAL') as export_months_reported,
        max(months_reported) filter (where flow = 'import' and product_code = 'TOTAL') as import_months_reported
    from annual
    group by all
),

extra_eu as (
    select * from {{ ref('int_trade_extra_eu27_exports_annual') }}
),

metrics as (
    select
        *,
        lag(exports_eur) over w as exports_eur_year_before,
        lag(imports_eur) over w as imports_eur_year_before,
        lag(year) over w as year_before,
        lag(export_months_reported) over w as export_months_year_before,
        lag(import_months_reported) over w as import_months_year_before
    from pivoted
    window w as (partition by reporter_code, partner_code order by year)
),

joined as (
    select
        metrics.*,
        members.geo_code is not null as is_member_state,
        extra_eu.extra_eu27_exports_eur
    from metrics
    left join members on members.geo_code = metrics.reporter_code
    left join extra_eu on extra_eu.year = metrics.year
)

select
    year,
    reporter_code,
    partner_code,
    exports_eur,
    imports_eur,
    export_months_reported,
    import_months_reported,
    {{ trade_balance_metrics() }},
    -- growth only between two complete years
    case
        when
            year_before = year - 1
            and export_months_reported = 12
            and export_months_year_before = 12
            and exports_eur_year_before > 0
            then exports_eur / exports_eur_year_before - 1
    end as exports_growth,
    case
        when
            year_before = year - 1
            and import_months_reported = 12
            and import_months_year_before = 12
            and imports_eur_year_before > 0
            then imports_eur / imports_eur_year_before - 1
    end as imports_growth,
    {{ hs27_share_of_imports() }},
    case
        when reporter_code = '{{ var("eu27_code") }}' and extra_eu27_exports_eur > 0
            then exports_eur / extra_eu27_exports_eur
    end as share_of_extra_eu27_exports,
    case
        when is_member_state and imports_eur is not null
            then cast(rank() over (
                partition by year, partner_code, is_member_state and imports_eur is not null
                order by imports_eur desc
            ) as integer)
    end as member_state_import_rank,
    case
        when is_member_state and exports_eur is not null
            then cast(rank() over (
                partition by year, partner_code, is_member_state and exports_eur is not null
                order by exports_eur desc
            ) as integer)
    end as member_state_export_rank
from joined
