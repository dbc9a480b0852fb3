-- Kazakhstan's trade by partner and year as Kazakhstan reports it, once per source that gives it, in US
-- dollars: the BNS tables (thousand USD, latest vintage) and Kazakhstan's own IMF DOTS workbook (million
-- USD, exports FOB and imports CIF). Turnover is the BNS figure as published; for DOTS it is exports plus
-- imports, an absent side counting as no trade, as BNS counts it.
with bns as (
    select
        'bns' as source,
        year,
        partner_code,
        partner_kind,
        exports_thousand_usd * 1000 as exports_usd,
        imports_thousand_usd * 1000 as imports_usd,
        turnover_thousand_usd * 1000 as turnover_usd,
        cast(null as varchar) as exports_obs_flag,
        cast(null as varchar) as imports_obs_flag,
        vintage_year as source_vintage_year,
        source_file
    from {{ ref('stg_bns__partner_trade') }}
),

dots_pivoted as (
    select
        year,
        partner_code,
        any_value(partner_kind) as partner_kind,
        max(value_usd) filter (where flow = 'export') as exports_usd,
        max(value_usd) filter (where flow = 'import') as imports_usd,
        max(obs_flag) filter (where flow = 'export') as exports_obs_flag,
        max(obs_flag) filter (where flow = 'import') as imports_obs_flag,
        string_agg(distinct source_file, '+' order by source_file) as source_file
    from {{ ref('stg_imf_dots__flows') }}
    where reporter_code = 'KZ'
    group by year, partner_code
),

dots as (
    select
        'imf_dots' as source,
        year,
        partner_code,
        partner_kind,
        exports_usd,
        imports_usd,
        coalesce(exports_usd, 0) + coalesce(imports_usd, 0) as turnover_usd,
        exports_obs_flag,
        imports_obs_flag,
        cast(null as integer) as source_vintage_year,
        source_file
    from dots_pivoted
)

select * from bns
union all by name
select * from dots
