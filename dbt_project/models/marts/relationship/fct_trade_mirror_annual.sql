{{ config(contract={'enforced': true}) }}
-- Mirror statistics: each member state's trade with Kazakhstan as Kazakhstan reports it beside the
-- member's own report, per year, in US dollars, and EU27_2020 as the members' sum. Two comparisons:
-- bns_vs_comext (the BNS tables against Comext, complete Comext years only, euro converted at the ECB
-- annual average of seed ecb_usd_per_eur_annual) and imf_dots (both reporters in IMF DOTS, 1992-2020).
-- A Comext year without a rate stops the build with an error naming the year: never a NULL in its place.
with members as (
    select
        geo_code as member_code,
        iso2_code
    from {{ ref('eu27_member_states') }}
),

rates as (
    select * from {{ ref('ecb_usd_per_eur_annual') }}
),

comext as (
    select
        trade.year,
        trade.reporter_code as member_code,
        case trade.flow when 'import' then 'export' else 'import' end as kz_flow,
        trade.value_eur as eu_reported_eur
    from {{ ref('fct_trade_annual') }} as trade
    inner join members on members.member_code = trade.reporter_code
    where
        trade.partner_code = 'KZ'
        and trade.product_code = 'TOTAL'
        and trade.months_reported = 12
),

bns as (
    select
        kz.year,
        members.member_code,
        kz.exports_usd,
        kz.imports_usd
    from {{ ref('fct_kz_partner_trade_annual') }} as kz
    inner join members on members.iso2_code = kz.partner_code
    where kz.source = 'bns'
),

national_members as (
    select
        comext.year,
        comext.member_code,
        comext.kz_flow,
        'bns_vs_comext' as comparison,
        case comext.kz_flow when 'export' then bns.exports_usd else bns.imports_usd end as kz_reported_usd,
        comext.eu_reported_eur,
        cast(1 as integer) as members_summed
    from comext
    left join bns on bns.year = comext.year and bns.member_code = comext.member_code
),

national_eu27 as (
    select
        year,
        '{{ var("eu27_code") }}' as member_code,
        kz_flow,
        comparison,
        {{ exact_sum('kz_reported_usd') }} as kz_reported_usd,
        {{ exact_sum('eu_reported_eur') }} as eu_reported_eur,
        cast(count(eu_reported_eur) as integer) as members_summed
    from national_members
    group by year, kz_flow, comparison
),

national as (
    select
        national_rows.*,
        coalesce(
            rates.usd_per_eur,
            error(
                'fct_trade_mirror_annual: no ECB USD per EUR rate for ' || national_rows.year
                || ' in seed ecb_usd_per_eur_annual (series EXR.A.USD.EUR.SP00.A); add the annual average'
            )
        ) as usd_per_eur,
        rates.series_key || ' ' || rates.source_url as exchange_rate_source
    from (
        select * from national_members
        union all
        select * from national_eu27
    ) as national_rows
    left join rates on rates.year = national_rows.year
),

dots_long as (
    select
        year,
        member_code,
        'export' as kz_flow,
        kz_exports_to_member_usd as kz_reported_usd,
        member_imports_from_kz_usd as eu_reported_usd
    from {{ ref('fct_trade_long_run_annual') }}
    union all
    select
        year,
        member_code,
        'import' as kz_flow,
        kz_imports_from_member_usd as kz_reported_usd,
        member_exports_to_kz_usd as eu_reported_usd
    from {{ ref('fct_trade_long_run_annual') }}
),

dots_members as (
    select
        year,
        member_code,
        kz_flow,
        'imf_dots' as comparison,
        kz_reported_usd,
        eu_reported_usd,
        cast(1 as integer) as members_summed
    from dots_long
    where kz_reported_usd is not null or eu_reported_usd is not null
),

dots_eu27 as (
    select
        year,
        '{{ var("eu27_code") }}' as member_code,
        kz_flow,
        comparison,
        {{ exact_sum('kz_reported_usd') }} as kz_reported_usd,
        {{ exact_sum('eu_reported_usd') }} as eu_reported_usd,
        cast(count(eu_reported_usd) as integer) as members_summed
    from dots_members
    group by year, kz_flow, comparison
),

dots as (
    select * from dots_members
    union all
    select * from dots_eu27
),

compared as (
    select
        year,
        member_code,
        kz_flow,
        comparison,
        kz_reported_usd,
        eu_reported_eur * usd_per_eur as eu_reported_usd,
        eu_reported_eur,
        usd_per_eur,
        exchange_rate_source,
        members_summed
    from national
    union all
    select
        year,
        member_code,
        kz_flow,
        comparison,
        kz_reported_usd,
        eu_reported_usd,
        cast(null as double) as eu_reported_eur,
        cast(null as double) as usd_per_eur,
        cast(null as varchar) as exchange_rate_source,
        members_summed
    from dots
)

select
    cast(year as integer) as year,
    member_code,
    kz_flow,
    comparison,
    kz_reported_usd,
    eu_reported_usd,
    eu_reported_eur,
    usd_per_eur,
    exchange_rate_source,
    eu_reported_usd - kz_reported_usd as gap_usd,
    (eu_reported_usd - kz_reported_usd) / nullif(kz_reported_usd, 0) as asymmetry,
    cast({{ var('mirror_asymmetry_threshold') }} as double) as asymmetry_threshold,
    abs((eu_reported_usd - kz_reported_usd) / nullif(kz_reported_usd, 0))
    > {{ var('mirror_asymmetry_threshold') }} as exceeds_threshold,
    case kz_flow when 'export' then 'FOB' else 'CIF' end as kz_valuation,
    case kz_flow when 'export' then 'CIF' else 'FOB' end as eu_valuation,
    case comparison when 'bns_vs_comext' then 'bns' else 'imf_dots' end as kz_source,
    case comparison when 'bns_vs_comext' then 'comext' else 'imf_dots' end as eu_source,
    member_code = '{{ var("eu27_code") }}' as is_eu27_sum,
    members_summed
from compared
