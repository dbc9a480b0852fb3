-- Annual imports from Kazakhstan by importing country (Eurostat nrg_ti_oil, nrg_ti_gas):
-- crude oil in thousand tonnes and tonnes, natural gas in TJ (gross calorific value).
-- EU27_2020 rows are as published where a file has them, else the sum of the member states
-- (is_derived_aggregate, member_states_summed).
with observations as (
    select * from {{ ref('stg_energy__observations') }}
    where dataset in ('nrg_ti_oil', 'nrg_ti_gas', 'nrg_ti_sff') and period_freq = 'A' and partner_code = 'KZ'
),

by_country as (
    select
        year(period_start)::integer as year,
        reporter_code,
        coalesce(product_group, product_code) as product_code,
        product_code as siec_code,
        max(obs_value) filter (where indicator_code = 'THS_T') as mass_kt,
        max(obs_value) filter (where indicator_code = 'TJ_GCV') as energy_tj_gcv,
        max(obs_flag) as obs_flag,
        false as is_derived_aggregate,
        null::integer as member_states_summed,
        any_value(dataset) as source_dataset
    from observations
    group by all
),

eu27 as (
    select
        b.year,
        'EU27_2020' as reporter_code,
        b.product_code,
        b.siec_code,
        {{ exact_sum('b.mass_kt') }} as mass_kt,
        {{ exact_sum('b.energy_tj_gcv') }} as energy_tj_gcv,
        null as obs_flag,
        true as is_derived_aggregate,
        count(*) filter (where coalesce(b.mass_kt, b.energy_tj_gcv) is not null)::integer as member_states_summed,
        any_value(b.source_dataset) as source_dataset
    from by_country as b
    inner join {{ ref('eu27_member_states') }} as m on m.geo_code = b.reporter_code
    -- a published EU27_2020 figure wins over the sum
    where
        not exists (
            select 1 from by_country as p
            where p.reporter_code = 'EU27_2020' and p.year = b.year and p.siec_code = b.siec_code
        )
    group by all
)

select
    year,
    reporter_code,
    product_code,
    siec_code,
    mass_kt,
    mass_kt * 1000 as mass_t,
    energy_tj_gcv,
    obs_flag,
    is_derived_aggregate,
    member_states_summed,
    source_dataset
from by_country
union all
select
    year,
    reporter_code,
    product_code,
    siec_code,
    mass_kt,
    mass_kt * 1000 as mass_t,
    energy_tj_gcv,
    obs_flag,
    is_derived_aggregate,
    member_states_summed,
    source_dataset
from eu27
