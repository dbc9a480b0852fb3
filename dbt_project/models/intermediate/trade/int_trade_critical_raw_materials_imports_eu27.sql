-- EU27 imports of each critical-raw-material CN8 code by partner and year: the extract gives
-- member states only, so EU27_2020 is their sum. Each partner is placed on its side of the
-- EU27_2020 border (member states and Comext's intra-EU special codes are intra-EU trade).
with flows as (
    select * from {{ ref('stg_trade__cn8_extract_flows') }}
    where flow = 'import' and period_freq = 'A'
),

materials as (
    select * from {{ ref('critical_raw_materials_cn8') }}
),

members as (
    select * from {{ ref('eu27_member_states') }}
),

special_partners as (
    select * from {{ ref('comext_special_partners') }}
),

member_state_flows as (
    select flows.*
    from flows
    inner join members on members.geo_code = flows.reporter_code
)

select
    f.year,
    '{{ var("eu27_code") }}' as reporter_code,
    f.product_code,
    m.material_group,
    m.material_name,
    m.stage as material_stage,
    f.partner_code,
    case
        when f.partner_code in (select iso2_code from members) or f.partner_code in (select geo_code from members)
            then 'intra'
        else coalesce(sp.trade_scope, 'extra')
    end as partner_scope,
    {{ exact_sum('f.value_eur') }} as value_eur,
    cast(count(*) as integer) as member_states_reporting,
    string_agg(distinct f.source_file, '+' order by f.source_file) as source_file
from member_state_flows as f
inner join materials as m on m.cn8_code = f.product_code
left join special_partners as sp on sp.partner_code = f.partner_code
group by all
