-- Every source brought to the marts' product grain (TOTAL and HS chapters), summed over
-- statistical procedures. Bulk CN8 rows give their chapters and the total; confidential
-- residual codes (e.g. 39XXXXXX) count in both and are tracked in confidential_value_eur.
--
-- Incremental by source file: the CN8 roll-up is the heavy step (a bulk month is millions of
-- rows), so a build redoes only the files landed since the last one (a replaced file's rows
-- are deleted and inserted again) and drops the rows of files that left raw/. A new month
-- costs time in proportion to the month, not to the history. Which files are landed is read
-- from the staging view (a projection of the raw table), so this model depends on staging only.
{{ config(
    materialized='incremental',
    unique_key='source_file',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where source_file not in (select distinct source_file from {{ ref('stg_trade__flows') }})",
) }}
with flows as (
    select * from {{ ref('stg_trade__flows') }}
    {% if is_incremental() %}
    -- files landed (or landed again) after this table was last built
    where loaded_at > (select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }})
    {% endif %}
),

cn8_to_chapters as (
    select
        source_format,
        source_file,
        loaded_at,
        reporter_code,
        partner_code,
        hs_chapter_code as product_code,
        flow,
        period_code,
        period_start,
        period_freq,
        value_eur,
        is_confidential_product
    from flows
    where product_level = 'CN8' and hs_chapter_code is not null
),

cn8_to_total as (
    select
        source_format,
        source_file,
        loaded_at,
        reporter_code,
        partner_code,
        'TOTAL' as product_code,
        flow,
        period_code,
        period_start,
        period_freq,
        value_eur,
        is_confidential_product
    from flows
    where product_level = 'CN8'
),

published_levels as (
    select
        source_format,
        source_file,
        loaded_at,
        reporter_code,
        partner_code,
        product_code,
        flow,
        period_code,
        period_start,
        period_freq,
        value_eur,
        false as is_confidential_product
    from flows
    where product_level in ('TOTAL', 'HS2')
),

combined as (
    select * from cn8_to_chapters
    union all
    select * from cn8_to_total
    union all
    select * from published_levels
)

select
    source_format,
    source_file,
    max(loaded_at) as loaded_at,
    reporter_code,
    partner_code,
    product_code,
    flow,
    period_code,
    period_start,
    period_freq,
    sum(value_eur) as value_eur,
    sum(case when is_confidential_product then value_eur else 0 end) as confidential_value_eur,
    count(*) as source_rows
from combined
group by all
