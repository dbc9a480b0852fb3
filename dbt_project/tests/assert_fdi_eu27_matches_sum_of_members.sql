-- wiiw publishes the EU27 aggregate beside every member state: the members it publishes add up to
-- the aggregate within rounding (measured 2003-2021: at most 0.026 EUR million apart, also in years
-- where a small member has no figure). A wider gap means a member mislabelled or a row lost.
with fdi as (
    select * from {{ ref('stg_finance__fdi_by_partner') }}
),

members as (
    select
        reporter_code,
        direction,
        year,
        {{ exact_sum('value_eur_million') }} as members_eur_million
    from fdi
    where is_eu27_member
    group by all
),

eu27 as (
    select
        reporter_code,
        direction,
        year,
        value_eur_million as eu27_eur_million
    from fdi
    where partner_code = '{{ var("eu27_code") }}'
)

select
    e.reporter_code,
    e.direction,
    e.year,
    e.eu27_eur_million,
    m.members_eur_million
from eu27 as e
inner join members as m on m.reporter_code = e.reporter_code and m.direction = e.direction and m.year = e.year
where abs(e.eu27_eur_million - m.members_eur_million) > 0.05
