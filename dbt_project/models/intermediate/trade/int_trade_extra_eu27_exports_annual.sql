-- EU27 exports to all partners outside the EU, per year: the published Extra-EU27 figure
-- where Easy Comext gives it, else the sum over partner countries (member states and the
-- intra-EU special codes excluded). tests/assert_extra_eu27_sum_matches_published.sql checks
-- that the sum reproduces the published aggregate in the years that have both.
with annual as (
    select * from {{ ref('int_trade_flows_with_eu27') }}
    where
        reporter_code = '{{ var("eu27_code") }}' and flow = 'export'
        and product_code = 'TOTAL' and period_freq = 'A'
),

published as (
    select
        cast(year(period_start) as integer) as year,
        value_eur as extra_eu27_exports_eur,
        'published_aggregate' as basis
    from annual
    where partner_code = '{{ var("extra_eu27_code") }}'
),

summed as (
    select
        cast(year(period_start) as integer) as year,
        sum(value_eur) as extra_eu27_exports_eur,
        'sum_of_partner_countries' as basis,
        count(*) as partners_summed
    from annual
    where
        length(partner_code) = 2
        and partner_code not in (select iso2_code from {{ ref('eu27_member_states') }})
        and partner_code not in (
            select partner_code from {{ ref('comext_special_partners') }}
            where trade_scope = 'intra'
        )
    group by 1
)

select
    summed.year,
    coalesce(published.extra_eu27_exports_eur, summed.extra_eu27_exports_eur) as extra_eu27_exports_eur,
    coalesce(published.basis, summed.basis) as basis,
    summed.extra_eu27_exports_eur as summed_partner_exports_eur,
    summed.partners_summed
from summed
left join published on published.year = summed.year
