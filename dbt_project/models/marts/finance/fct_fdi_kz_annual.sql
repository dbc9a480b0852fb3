-- Foreign direct investment in Kazakhstan by partner and year (wiiw FDI Database, source: National
-- Bank of Kazakhstan): inflow and inward stock in EUR million, each partner's share of the total
-- (WORLD) and, for the EU27 and its member states, of the EU27 (the aggregate as wiiw publishes it).
-- The Netherlands' row shows its weight as a conduit: its share of the EU27 stock and of the whole.
-- Only years in which wiiw publishes at least one of the two figures for the partner.
{% set eu27 = var('eu27_code') %}

with fdi as (
    select * from {{ ref('stg_finance__fdi_by_partner') }}
    where reporter_code = 'KZ' and direction in ('inflow', 'inward_stock')
),

by_partner as (
    select
        year,
        partner_code,
        partner_name,
        partner_type,
        partner_iso2_code,
        is_eu27_member,
        is_offshore_centre,
        max(value_eur_million) filter (where direction = 'inflow') as inflow_eur_million,
        max(value_eur_million) filter (where direction = 'inward_stock') as inward_stock_eur_million,
        string_agg(distinct source_file, '+' order by source_file) as source_file
    from fdi
    group by all
),

world as (
    select
        year,
        inflow_eur_million,
        inward_stock_eur_million
    from by_partner
    where partner_code = 'WORLD'
),

eu27 as (
    select
        year,
        inflow_eur_million,
        inward_stock_eur_million
    from by_partner
    where partner_code = '{{ eu27 }}'
),

shares as (
    select
        p.*,
        p.inflow_eur_million / nullif(w.inflow_eur_million, 0) as inflow_share_of_total,
        p.inward_stock_eur_million / nullif(w.inward_stock_eur_million, 0) as inward_stock_share_of_total,
        case
            when p.is_eu27_member or p.partner_code = '{{ eu27 }}'
                then p.inflow_eur_million / nullif(e.inflow_eur_million, 0)
        end as inflow_share_of_eu27,
        case
            when p.is_eu27_member or p.partner_code = '{{ eu27 }}'
                then p.inward_stock_eur_million / nullif(e.inward_stock_eur_million, 0)
        end as inward_stock_share_of_eu27
    from by_partner as p
    left join world as w on w.year = p.year
    left join eu27 as e on e.year = p.year
    where p.inflow_eur_million is not null or p.inward_stock_eur_million is not null
),

-- 1 = the largest investor of the year: countries and territories only, never an aggregate
ranks as (
    select
        year,
        partner_code,
        rank() over (partition by year order by inward_stock_eur_million desc) as inward_stock_rank
    from shares
    where partner_type not in ('world', 'eu_aggregate') and inward_stock_eur_million is not null
)

select
    s.year::integer as year,
    s.partner_code,
    s.partner_name,
    s.partner_type,
    s.partner_iso2_code,
    s.is_eu27_member,
    s.is_offshore_centre,
    s.inflow_eur_million,
    s.inward_stock_eur_million,
    s.inflow_share_of_total,
    s.inward_stock_share_of_total,
    s.inflow_share_of_eu27,
    s.inward_stock_share_of_eu27,
    r.inward_stock_rank::integer as inward_stock_rank,
    s.source_file
from shares as s
left join ranks as r on r.year = s.year and r.partner_code = s.partner_code
