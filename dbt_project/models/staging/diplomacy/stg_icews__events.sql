-- The ICEWS sample with Kazakhstan (temporal knowledge-graph subsets of ICEWS: a SAMPLE, never
-- totals), one row per source actor, event text, target actor and day, however many subsets hold it
-- (ICEWS14 and ICEWS05-15 overlap in 2014). Each actor is placed on a side by the seed icews_actors:
-- KZ, EU (an EU institution), the ISO code of an EU27_2020 member state from its accession date, or
-- other. The CAMEO code is the seed cameo_event_codes' code whose description matches the event
-- text (macro cameo_label_key; root headings left out, ambiguous wordings left unmatched); its root
-- gives the QuadClass (seed cameo_quad_classes). Unmatched texts keep a NULL code.
with source as (
    select * from {{ source('diplomacy', 'icews_events') }}
),

events as (
    select
        source_actor,
        event_text,
        target_actor,
        event_date,
        array_to_string(list_sort(list(distinct origin_dataset || ' ' || origin_split)), '; ') as sample_origins,
        count(*) as sample_rows
    from source
    group by source_actor, event_text, target_actor, event_date
),

cameo_labels as (
    select
        {{ cameo_label_key('description') }} as label_key,
        any_value(cameo_code) as cameo_code,
        any_value(root_code) as root_code
    from {{ ref('cameo_event_codes') }}
    where length(cameo_code) >= 3  -- two-digit codes are the root headings (CONSULT), not events
    group by label_key
    having count(*) = 1
),

placed as (
    select
        e.*,
        sa.country_code as source_country_code,
        ta.country_code as target_country_code,
        case
            when sa.country_code = 'KZ' then 'KZ'
            when sa.is_eu_institution then 'EU'
            when sm.iso2_code is not null and e.event_date >= sm.eu_accession_date then sa.country_code
            else 'other'
        end as source_side,
        case
            when ta.country_code = 'KZ' then 'KZ'
            when ta.is_eu_institution then 'EU'
            when tm.iso2_code is not null and e.event_date >= tm.eu_accession_date then ta.country_code
            else 'other'
        end as target_side
    from events as e
    inner join {{ ref('icews_actors') }} as sa on sa.actor_label = e.source_actor
    inner join {{ ref('icews_actors') }} as ta on ta.actor_label = e.target_actor
    left join {{ ref('eu27_member_states') }} as sm on sm.iso2_code = sa.country_code
    left join {{ ref('eu27_member_states') }} as tm on tm.iso2_code = ta.country_code
)

select
    p.event_date,
    p.source_actor,
    p.source_country_code,
    p.source_side,
    p.event_text,
    c.cameo_code,
    c.root_code as cameo_root_code,
    q.quad_class,
    p.target_actor,
    p.target_country_code,
    p.target_side,
    case
        when p.source_side = 'KZ' and p.target_side = 'KZ' then 'KZ-KZ'
        when p.source_side = 'KZ' then case when p.target_side = 'other' then 'KZ-other' else 'KZ-EU' end
        when p.target_side = 'KZ' then case when p.source_side = 'other' then 'KZ-other' else 'KZ-EU' end
        else 'no KZ actor'
    end as dyad,
    p.sample_origins,
    p.sample_rows
from placed as p
left join cameo_labels as c on c.label_key = {{ cameo_label_key('p.event_text') }}
left join {{ ref('cameo_quad_classes') }} as q on q.root_code = c.root_code
