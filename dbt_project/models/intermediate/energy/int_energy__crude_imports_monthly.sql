-- Monthly crude oil imports by reporter, origin and grade, from the two registers of the same
-- series: the DG ENER crude oil import register (to 2019) and Eurostat nrg_ti_coifpm (which
-- took it over). Volume, value and published price side by side; flags kept per measure.
-- origin_code 'ALL' with grade 'TOTAL' is all crude of all origins.
with observations as (
    select * from {{ ref('stg_energy__observations') }}
    where dataset in ('nrg_ti_coifpm', 'dg_ener_coir') and period_freq = 'M'
),

pivoted as (
    select
        period_start as period_month,
        reporter_code,
        coalesce(origin_code, 'ALL') as origin_code,
        product_code as grade_code,
        max(partner_label) as origin_label,
        dataset as source_dataset,
        max(obs_value) filter (where indicator_code = 'VOL_THS_BBL') as volume_kbbl,
        max(obs_value) filter (where indicator_code = 'VAL_THS_USD') as value_kusd,
        max(obs_value) filter (where indicator_code = 'AVGPRC_USD_BBL') as published_price_usd_bbl,
        max(obs_flag) filter (where indicator_code = 'VOL_THS_BBL') as volume_flag,
        max(obs_flag) filter (where indicator_code = 'VAL_THS_USD') as value_flag,
        bool_or(is_confidential) filter (where indicator_code = 'VOL_THS_BBL') as volume_confidential,
        bool_or(is_confidential) filter (where indicator_code = 'VAL_THS_USD') as value_confidential,
        string_agg(distinct source_file, '+') as source_file
    from observations
    where indicator_code in ('VOL_THS_BBL', 'VAL_THS_USD', 'AVGPRC_USD_BBL')
    group by all
),

-- The register lists every origin and grade but no total: all crude is the sum over origins.
register_totals as (
    select
        period_month,
        reporter_code,
        'ALL' as origin_code,
        'TOTAL' as grade_code,
        'All origins' as origin_label,
        source_dataset,
        {{ exact_sum('volume_kbbl') }} as volume_kbbl,
        {{ exact_sum('value_kusd') }} as value_kusd,
        null::double as published_price_usd_bbl,
        null as volume_flag,
        null as value_flag,
        bool_or(volume_confidential) as volume_confidential,
        bool_or(value_confidential) as value_confidential,
        string_agg(distinct source_file, '+') as source_file
    from pivoted
    where source_dataset = 'dg_ener_coir'
    group by all
),

by_reporter as (
    select * from pivoted
    union all
    select * from register_totals
),

-- The register reports member states only; its EU aggregate is their sum, the EU as it was
-- (EU28 with the United Kingdom until 2019). coifpm publishes its EU total (EU_V) itself.
register_eu as (
    select
        period_month,
        'EU' as reporter_code,
        origin_code,
        grade_code,
        max(origin_label) as origin_label,
        source_dataset,
        {{ exact_sum('volume_kbbl') }} as volume_kbbl,
        {{ exact_sum('value_kusd') }} as value_kusd,
        null::double as published_price_usd_bbl,
        null as volume_flag,
        null as value_flag,
        bool_or(volume_confidential) as volume_confidential,
        bool_or(value_confidential) as value_confidential,
        string_agg(distinct source_file, '+') as source_file
    from by_reporter
    where source_dataset = 'dg_ener_coir'
    group by all
)

select
    period_month,
    case when reporter_code = 'EU_V' then 'EU' else reporter_code end as reporter_code,
    case
        when reporter_code = 'EU_V' then 'EU total as published by Eurostat (EU_V)'
        when
            source_dataset = 'dg_ener_coir' and reporter_code = 'EU'
            then 'sum of the register''s reporting member states (EU28 to 2019)'
        else 'reporting country'
    end as reporter_definition,
    origin_code,
    grade_code,
    origin_label,
    volume_kbbl,
    value_kusd,
    published_price_usd_bbl,
    volume_flag,
    value_flag,
    coalesce(volume_confidential, false) as volume_confidential,
    coalesce(value_confidential, false) as value_confidential,
    source_dataset,
    source_file
from (
    select * from by_reporter
    union all
    select * from register_eu
) as all_reporters
