-- Annual trade: a published whole-year figure (Comext period YYYY52) wins; otherwise the
-- months are summed and months_reported says how many there were (12 for a whole year).
with flows as (
    select * from {{ ref('int_trade_flows_with_eu27') }}
    where length(partner_code) = 2
),

published_years as (
    select
        cast(year(period_start) as integer) as year,
        reporter_code,
        partner_code,
        product_code,
        flow,
        value_eur,
        12 as months_reported,
        'published_annual' as basis,
        is_derived_aggregate
    from flows
    where period_freq = 'A'
),

summed_months as (
    select
        cast(year(period_start) as integer) as year,
        reporter_code,
        partner_code,
        product_code,
        flow,
        sum(value_eur) as value_eur,
        cast(count(distinct period_start) as integer) as months_reported,
        'sum_of_months' as basis,
        bool_or(is_derived_aggregate) as is_derived_aggregate
    from flows
    where period_freq = 'M' and value_eur is not null
    group by all
)

select * from published_years
union all
select months.*
from summed_months as months
anti join published_years as published
    on
        published.year = months.year
        and published.reporter_code = months.reporter_code
        and published.partner_code = months.partner_code
        and published.product_code = months.product_code
        and published.flow = months.flow
