{{ config(contract={'enforced': true}) }}
-- Both reporters' view of each EU member state's trade with Kazakhstan, 1992-2020, US dollars, from IMF
-- DOTS: Kazakhstan's exports to the member (FOB) beside the member's imports from Kazakhstan (CIF), and
-- Kazakhstan's imports from the member (CIF) beside the member's exports to Kazakhstan (FOB), ready for
-- mirror statistics. A figure a reporter did not publish stays NULL. Belgium-Luxembourg (reported jointly
-- until 1996) and Czechoslovakia (1992) appear as the predecessors they are, never split.
with flows as (
    select * from {{ ref('stg_imf_dots__flows') }}
),

members as (
    select
        geo_code as member_code,
        iso2_code as dots_code,
        true as is_eu27_member_state,
        cast(null as varchar) as successor_codes
    from {{ ref('eu27_member_states') }}
    union all
    select
        code as member_code,
        code as dots_code,
        false as is_eu27_member_state,
        successor_codes
    from {{ ref('eu27_2020_predecessors') }}
),

kazakhstan_side as (
    select
        year,
        partner_code as dots_code,
        max(value_usd) filter (where flow = 'export') as kz_exports_to_member_usd,
        max(value_usd) filter (where flow = 'import') as kz_imports_from_member_usd,
        max(obs_flag) filter (where flow = 'export') as kz_exports_obs_flag,
        max(obs_flag) filter (where flow = 'import') as kz_imports_obs_flag,
        string_agg(distinct source_file, '+' order by source_file) as kz_source_file
    from flows
    where reporter_code = 'KZ'
    group by year, partner_code
),

member_side as (
    select
        year,
        reporter_code as dots_code,
        max(value_usd) filter (where flow = 'import') as member_imports_from_kz_usd,
        max(value_usd) filter (where flow = 'export') as member_exports_to_kz_usd,
        max(obs_flag) filter (where flow = 'import') as member_imports_obs_flag,
        max(obs_flag) filter (where flow = 'export') as member_exports_obs_flag,
        string_agg(distinct source_file, '+' order by source_file) as member_source_file
    from flows
    where partner_code = 'KZ'
    group by year, reporter_code
),

member_workbooks as (
    select distinct reporter_code as dots_code from flows
)

select
    cast(coalesce(kazakhstan_side.year, member_side.year) as integer) as year,
    members.member_code,
    members.is_eu27_member_state,
    members.successor_codes,
    kazakhstan_side.kz_exports_to_member_usd,
    member_side.member_imports_from_kz_usd,
    kazakhstan_side.kz_imports_from_member_usd,
    member_side.member_exports_to_kz_usd,
    kazakhstan_side.kz_exports_obs_flag,
    member_side.member_imports_obs_flag,
    kazakhstan_side.kz_imports_obs_flag,
    member_side.member_exports_obs_flag,
    members.dots_code in (select dots_code from member_workbooks) as member_workbook_landed,
    kazakhstan_side.kz_source_file,
    member_side.member_source_file
from kazakhstan_side
full outer join member_side
    on member_side.year = kazakhstan_side.year and member_side.dots_code = kazakhstan_side.dots_code
inner join members on members.dots_code = coalesce(kazakhstan_side.dots_code, member_side.dots_code)
