-- One row per reporter, direction, partner and year of foreign direct investment (wiiw FDI
-- Database), the latest load where two files carry the same key. The partner's type, ISO code and
-- offshore-centre mark come from seed wiiw_fdi_partners; EU27 membership from eu27_member_states.
with source as (
    select * from {{ source('finance', 'fdi_by_partner') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by reporter_code, direction, partner_code, year
            order by _loaded_at desc, _source_file desc
        ) as revision_rank
    from source
)

select
    r.reporter_code,
    r.direction,
    r.partner_code,
    r.partner_name,
    p.partner_type,
    p.iso2_code as partner_iso2_code,
    m.iso2_code is not null as is_eu27_member,
    p.fsf_2000_offshore_group is not null as is_offshore_centre,
    r.year,
    r.value_eur_million,
    r.share_of_total_pct as published_share_of_total_pct,
    r.footnote,
    r.source_note,
    r.source_line,
    r._source_file as source_file,
    r._loaded_at as loaded_at
from ranked as r
left join {{ ref('wiiw_fdi_partners') }} as p on p.partner_code = r.partner_code
left join {{ ref('eu27_member_states') }} as m on m.iso2_code = p.iso2_code
where r.revision_rank = 1
