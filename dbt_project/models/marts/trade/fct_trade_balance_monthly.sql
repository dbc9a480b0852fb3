-- Monthly trade metrics per reporter and partner (product TOTAL): balance, turnover,
-- cover ratio, year-on-year growth, 12-month rolling sums, share of HS 27 in imports.
-- A metric is NULL where an input is missing, never a zero that was not published.
with monthly as (
    select * from {{ ref('fct_trade_monthly') }}
),

pivoted as (
    select
        period_month,
        reporter_code,
        partner_code,
        {{ trade_flow_pivot() }}
    from monthly
    group by all
),

with_windows as (
    select
        *,
        lag(exports_eur, 12) over w as exports_eur_year_before,
        lag(imports_eur, 12) over w as imports_eur_year_before,
        lag(period_month, 12) over w as period_month_year_before,
        sum(exports_eur) over w12 as exports_rolling_12m_sum,
        sum(imports_eur) over w12 as imports_rolling_12m_sum,
        count(exports_eur) over w12 as export_months_in_window,
        count(imports_eur) over w12 as import_months_in_window,
        min(period_month) over w12 as window_start
    from pivoted
    window
        w as (partition by reporter_code, partner_code order by period_month),
        w12 as (
            partition by reporter_code, partner_code order by period_month
            range between interval 11 months preceding and current row
        )
)

select
    period_month,
    reporter_code,
    partner_code,
    exports_eur,
    imports_eur,
    {{ trade_balance_metrics() }},
    case
        when period_month_year_before = period_month - interval 12 months and exports_eur_year_before > 0
            then exports_eur / exports_eur_year_before - 1
    end as exports_yoy_growth,
    case
        when period_month_year_before = period_month - interval 12 months and imports_eur_year_before > 0
            then imports_eur / imports_eur_year_before - 1
    end as imports_yoy_growth,
    case when export_months_in_window = 12 then exports_rolling_12m_sum end as exports_rolling_12m_eur,
    case when import_months_in_window = 12 then imports_rolling_12m_sum end as imports_rolling_12m_eur,
    case
        when export_months_in_window = 12 and import_months_in_window = 12
            then exports_rolling_12m_sum - imports_rolling_12m_sum
    end as balance_rolling_12m_eur,
    imports_hs27_eur,
    {{ hs27_share_of_imports() }}
from with_windows
