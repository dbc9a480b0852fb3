{{ config(contract={'enforced': true}) }}
-- Kazakhstan-reported trade by partner and year, 1992-2023, with shares of Kazakhstan's totals.
-- One source per year (seed kz_partner_trade_source_precedence): the BNS tables where they cover the
-- year (2018-2023), IMF DOTS as reported by Kazakhstan before. EU27_2020 is the sum of the 27 member
-- states of the EU since 1 February 2020, for every year (the United Kingdom never in it), with the
-- predecessors wholly inside them (Belgium-Luxembourg, Czechoslovakia; seed eu27_2020_predecessors).
-- The BNS "EU" row (with the UK until the 2022 tables) and "Europe" row stay groups of their own.
with candidates as (
    select * from {{ ref('int_kz_reported_trade_by_source') }}
),

precedence as (
    select * from {{ ref('kz_partner_trade_source_precedence') }}
),

year_source as (
    select
        candidates.year,
        candidates.source
    from (
        select distinct
            year,
            source
        from candidates
    ) as candidates
    inner join precedence on precedence.source = candidates.source
    qualify row_number() over (partition by candidates.year order by precedence.precedence) = 1
),

chosen as (
    select
        candidates.*,
        cast(null as integer) as members_summed
    from candidates
    inner join year_source on year_source.year = candidates.year and year_source.source = candidates.source
),

eu27_parts as (
    select iso2_code as partner_code from {{ ref('eu27_member_states') }}
    union all
    select code as partner_code from {{ ref('eu27_2020_predecessors') }}
),

eu27 as (
    select
        chosen.year,
        chosen.source,
        '{{ var("eu27_code") }}' as partner_code,
        'eu27_sum' as partner_kind,
        {{ exact_sum('chosen.exports_usd') }} as exports_usd,
        {{ exact_sum('chosen.imports_usd') }} as imports_usd,
        {{ exact_sum('chosen.turnover_usd') }} as turnover_usd,
        max(chosen.exports_obs_flag) as exports_obs_flag,
        max(chosen.imports_obs_flag) as imports_obs_flag,
        max(chosen.source_vintage_year) as source_vintage_year,
        string_agg(distinct chosen.source_file, '+' order by chosen.source_file) as source_file,
        cast(count(*) as integer) as members_summed
    from chosen
    inner join eu27_parts on eu27_parts.partner_code = chosen.partner_code
    group by chosen.year, chosen.source
),

partner_rows as (
    select * from chosen
    union all by name
    select * from eu27
),

totals as (
    select
        year,
        exports_usd as total_exports_usd,
        imports_usd as total_imports_usd,
        turnover_usd as total_turnover_usd
    from chosen
    where partner_kind = 'total'
)

select
    cast(partner_rows.year as integer) as year,
    partner_rows.partner_code,
    partner_rows.partner_kind,
    partner_rows.exports_usd,
    partner_rows.imports_usd,
    partner_rows.turnover_usd,
    partner_rows.exports_usd / nullif(totals.total_exports_usd, 0) as exports_share,
    partner_rows.imports_usd / nullif(totals.total_imports_usd, 0) as imports_share,
    partner_rows.turnover_usd / nullif(totals.total_turnover_usd, 0) as turnover_share,
    partner_rows.source,
    cast(partner_rows.source_vintage_year as integer) as source_vintage_year,
    partner_rows.exports_obs_flag,
    partner_rows.imports_obs_flag,
    partner_rows.members_summed,
    partner_rows.source_file
from partner_rows
left join totals on totals.year = partner_rows.year
