{{ config(contract={'enforced': true}) }}
-- EU exports to Kazakhstan of the goods on the EU's Russia sanctions lists, by month, reporter
-- (member states and their EU27_2020 sum) and HS chapter ('ALL': every listed good), with the
-- year-on-year and year-to-date comparisons that show the 2022 re-export surge. A listed CN8
-- code inside a listed HS4 heading is counted once, in the heading. A month without a figure
-- is no recorded export: it adds nothing to a year-to-date sum and has no row of its own.
with listed as (
    select * from {{ ref('int_trade_sanctioned_goods_exports_to_kz') }}
    where not is_within_listed_heading
),

-- per member state: each chapter and ALL
member_states as (
    select
        period_month,
        reporter_code,
        hs_chapter_code,
        {{ exact_sum('value_eur') }} as value_eur,
        count(distinct product_code) filter (where value_eur > 0) as codes_exported,
        cast(null as bigint) as member_states_summed
    from listed
    group by period_month, reporter_code, hs_chapter_code
    union all
    select
        period_month,
        reporter_code,
        'ALL' as hs_chapter_code,
        {{ exact_sum('value_eur') }} as value_eur,
        count(distinct product_code) filter (where value_eur > 0) as codes_exported,
        cast(null as bigint) as member_states_summed
    from listed
    group by period_month, reporter_code
),

-- their EU27_2020 sums: each chapter and ALL
eu27 as (
    select
        period_month,
        '{{ var("eu27_code") }}' as reporter_code,
        hs_chapter_code,
        {{ exact_sum('value_eur') }} as value_eur,
        count(distinct product_code) filter (where value_eur > 0) as codes_exported,
        count(distinct reporter_code) as member_states_summed
    from listed
    group by period_month, hs_chapter_code
    union all
    select
        period_month,
        '{{ var("eu27_code") }}' as reporter_code,
        'ALL' as hs_chapter_code,
        {{ exact_sum('value_eur') }} as value_eur,
        count(distinct product_code) filter (where value_eur > 0) as codes_exported,
        count(distinct reporter_code) as member_states_summed
    from listed
    group by period_month
),

by_group as (
    select
        period_month,
        reporter_code,
        hs_chapter_code,
        value_eur,
        codes_exported,
        member_states_summed,
        cast(year(period_month) as integer) as year
    from member_states
    union all
    select
        period_month,
        reporter_code,
        hs_chapter_code,
        value_eur,
        codes_exported,
        member_states_summed,
        cast(year(period_month) as integer) as year
    from eu27
),

with_ytd as (
    select
        *,
        {{ exact_sum('value_eur', over='partition by reporter_code, hs_chapter_code, year order by period_month') }}
            as value_eur_ytd
    from by_group
),

year_earlier as (
    select
        current_month.period_month,
        current_month.reporter_code,
        current_month.hs_chapter_code,
        max(earlier.value_eur) filter (where earlier.period_month = current_month.period_month - interval 12 months)
            as value_eur_year_earlier,
        {{ exact_sum('earlier.value_eur') }} as value_eur_ytd_year_earlier
    from with_ytd as current_month
    inner join with_ytd as earlier
        on
            earlier.reporter_code = current_month.reporter_code
            and earlier.hs_chapter_code = current_month.hs_chapter_code
            and earlier.year = current_month.year - 1
            and month(earlier.period_month) <= month(current_month.period_month)
    group by current_month.period_month, current_month.reporter_code, current_month.hs_chapter_code
)

select
    m.period_month,
    m.year,
    m.reporter_code,
    m.hs_chapter_code,
    m.value_eur,
    cast(m.codes_exported as integer) as codes_exported,
    e.value_eur_year_earlier,
    case when e.value_eur_year_earlier > 0 then m.value_eur / e.value_eur_year_earlier - 1 end as growth_yoy,
    m.value_eur_ytd,
    e.value_eur_ytd_year_earlier,
    case when e.value_eur_ytd_year_earlier > 0 then m.value_eur_ytd / e.value_eur_ytd_year_earlier - 1 end
        as growth_ytd,
    m.member_states_summed is not null as is_derived_aggregate,
    cast(m.member_states_summed as integer) as member_states_summed
from with_ytd as m
left join year_earlier as e
    on
        e.period_month = m.period_month
        and e.reporter_code = m.reporter_code
        and e.hs_chapter_code = m.hs_chapter_code
