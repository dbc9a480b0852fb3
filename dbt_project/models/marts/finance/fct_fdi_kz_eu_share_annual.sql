-- How much of the foreign direct investment in Kazakhstan is European, and how much of that sits
-- in the Netherlands, per year (wiiw FDI Database, EUR million). The EU27 is the aggregate as wiiw
-- publishes it, with the sum of the member states it publishes beside it. The Netherlands is shown
-- apart because it is a conduit: partners are the investor's country as reported to the National
-- Bank, so investment routed through Dutch holding companies counts as Dutch. Offshore centres are
-- the partners on the FSF's 2000 list (seed wiiw_fdi_partners), EU members among them included.
with partners as (
    select * from {{ ref('fct_fdi_kz_annual') }}
),

per_year as (
    select
        year,
        max(inward_stock_eur_million) filter (where partner_code = 'WORLD') as total_inward_stock_eur_million,
        max(inward_stock_eur_million) filter (where partner_code = '{{ var("eu27_code") }}')
            as eu27_inward_stock_eur_million,
        {{ exact_sum('inward_stock_eur_million', where='is_eu27_member') }} as eu27_members_inward_stock_eur_million,
        count(inward_stock_eur_million) filter (where is_eu27_member)::integer as eu27_members_with_stock,
        max(inward_stock_eur_million) filter (where partner_code = 'NL') as netherlands_inward_stock_eur_million,
        {{ exact_sum('inward_stock_eur_million', where='is_offshore_centre') }}
            as offshore_centres_inward_stock_eur_million,
        max(inflow_eur_million) filter (where partner_code = 'WORLD') as total_inflow_eur_million,
        max(inflow_eur_million) filter (where partner_code = '{{ var("eu27_code") }}') as eu27_inflow_eur_million,
        max(inflow_eur_million) filter (where partner_code = 'NL') as netherlands_inflow_eur_million
    from partners
    group by year
)

select
    year,
    total_inward_stock_eur_million,
    eu27_inward_stock_eur_million,
    eu27_inward_stock_eur_million / nullif(total_inward_stock_eur_million, 0) as eu27_share_of_inward_stock,
    eu27_members_inward_stock_eur_million,
    eu27_members_with_stock,
    netherlands_inward_stock_eur_million,
    netherlands_inward_stock_eur_million
    / nullif(eu27_inward_stock_eur_million, 0) as netherlands_share_of_eu27_inward_stock,
    netherlands_inward_stock_eur_million
    / nullif(total_inward_stock_eur_million, 0) as netherlands_share_of_inward_stock,
    (eu27_inward_stock_eur_million - netherlands_inward_stock_eur_million)
    / nullif(total_inward_stock_eur_million, 0) as eu27_excluding_netherlands_share_of_inward_stock,
    offshore_centres_inward_stock_eur_million,
    offshore_centres_inward_stock_eur_million
    / nullif(total_inward_stock_eur_million, 0) as offshore_centres_share_of_inward_stock,
    total_inflow_eur_million,
    eu27_inflow_eur_million,
    eu27_inflow_eur_million / nullif(total_inflow_eur_million, 0) as eu27_share_of_inflow,
    netherlands_inflow_eur_million
from per_year
