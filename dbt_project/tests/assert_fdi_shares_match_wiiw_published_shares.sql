-- The marts' shares of the total (and of manufacturing) are recomputed from the EUR million figures;
-- wiiw publishes the same shares in percent, rounded to 7 decimals. They agree within 1e-6
-- percentage points (measured: at most 5e-8), so each figure is divided by the right total.
with partner as (
    select
        m.year,
        m.partner_code as item,
        s.direction,
        s.published_share_of_total_pct as published_pct,
        100 * case s.direction when 'inflow' then m.inflow_share_of_total else m.inward_stock_share_of_total end
            as recomputed_pct
    from {{ ref('fct_fdi_kz_annual') }} as m
    inner join {{ ref('stg_finance__fdi_by_partner') }} as s
        on s.reporter_code = 'KZ' and s.year = m.year and s.partner_code = m.partner_code
),

activity as (
    select
        m.year,
        m.classification || ' ' || m.activity_level || ' ' || m.activity_code as item,
        s.direction,
        coalesce(s.published_share_of_total_pct, s.published_share_of_manufacturing_pct) as published_pct,
        100 * case
            when s.published_share_of_total_pct is not null and s.direction = 'inflow' then m.inflow_share_of_total
            when s.published_share_of_total_pct is not null then m.inward_stock_share_of_total
            when s.direction = 'inflow' then m.inflow_share_of_manufacturing
            else m.inward_stock_share_of_manufacturing
        end as recomputed_pct
    from {{ ref('fct_fdi_kz_by_activity_annual') }} as m
    inner join {{ ref('stg_finance__fdi_by_activity') }} as s
        on
            s.reporter_code = 'KZ' and s.year = m.year and s.classification = m.classification
            and s.activity_level = m.activity_level and s.activity_code = m.activity_code
),

compared as (
    select * from partner
    union all
    select * from activity
)

select *
from compared
where
    direction in ('inflow', 'inward_stock')
    and published_pct is not null
    and (recomputed_pct is null or abs(published_pct - recomputed_pct) > 1e-6)
