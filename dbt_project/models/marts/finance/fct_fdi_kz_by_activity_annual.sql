-- Foreign direct investment in Kazakhstan by economic activity and year (wiiw FDI Database, source:
-- National Bank of Kazakhstan): inflow and inward stock in EUR million per NACE section (Rev. 1 to
-- 2011, Rev. 2 from 2010: both kept where they overlap) and per manufacturing division, with each
-- activity's share of all activities and, for divisions, of manufacturing. wiiw repeats the
-- manufacturing section at the head of the division table: it stays there as that table's total.
-- Only years in which wiiw publishes at least one of the two figures for the activity.
with fdi as (
    select * from {{ ref('stg_finance__fdi_by_activity') }}
    where reporter_code = 'KZ' and direction in ('inflow', 'inward_stock')
),

by_activity as (
    select
        year,
        classification,
        activity_level,
        activity_code,
        activity_label,
        max(value_eur_million) filter (where direction = 'inflow') as inflow_eur_million,
        max(value_eur_million) filter (where direction = 'inward_stock') as inward_stock_eur_million,
        string_agg(distinct source_file, '+' order by source_file) as source_file
    from fdi
    group by all
),

-- all activities: the 'Total by activities' row of the classification
total as (
    select
        year,
        classification,
        inflow_eur_million,
        inward_stock_eur_million
    from by_activity
    where activity_code = 'TOTAL'
),

-- the division table's own head: its one-letter manufacturing section (C in Rev. 2, D in Rev. 1)
manufacturing as (
    select
        year,
        classification,
        activity_level,
        activity_code,
        inflow_eur_million,
        inward_stock_eur_million
    from by_activity
    where activity_level <> 'NACE 1-letter' and length(activity_code) = 1
)

select
    a.year::integer as year,
    a.classification,
    a.activity_level,
    a.activity_code,
    a.activity_label,
    m.activity_code as manufacturing_code,
    a.inflow_eur_million,
    a.inward_stock_eur_million,
    a.inflow_eur_million / nullif(t.inflow_eur_million, 0) as inflow_share_of_total,
    a.inward_stock_eur_million / nullif(t.inward_stock_eur_million, 0) as inward_stock_share_of_total,
    a.inflow_eur_million / nullif(m.inflow_eur_million, 0) as inflow_share_of_manufacturing,
    a.inward_stock_eur_million / nullif(m.inward_stock_eur_million, 0) as inward_stock_share_of_manufacturing,
    a.source_file
from by_activity as a
left join total as t on t.year = a.year and t.classification = a.classification
left join manufacturing as m
    on m.year = a.year and m.classification = a.classification and m.activity_level = a.activity_level
where a.inflow_eur_million is not null or a.inward_stock_eur_million is not null
