-- Quarterly diplomatic activity of Kazakhstan per directed dyad (actor 1 side -> actor 2 side),
-- from GDELT: counts by QuadClass, cooperation and conflict shares, Goldstein (mean, sum,
-- mention-weighted) and article-weighted tone, normalised by each side's total events in the
-- landed files (GDELT's volume changes over time). Sides: KZ, EU (EU or member state), another
-- country's CAMEO code, NONE.
with events as (
    select * from {{ ref('int_diplomacy__gdelt_dyads') }}
),

totals as (
    select
        date_trunc('quarter', event_date)::date as quarter_start,
        sum(events) filter (where actor_side = 'ALL') as all_events_total,
        sum(events) filter (where actor_side = 'KZ') as kz_events_total,
        sum(events) filter (where actor_side = 'EU') as eu_events_total
    from {{ ref('stg_diplomacy__gdelt_actor_totals') }}
    group by all
),

activity as (
    select
        quarter_start,
        actor1_side,
        actor2_side,
        count(*) as events,
        count(*) filter (where quad_class = 1) as verbal_cooperation_events,
        count(*) filter (where quad_class = 2) as material_cooperation_events,
        count(*) filter (where quad_class = 3) as verbal_conflict_events,
        count(*) filter (where quad_class = 4) as material_conflict_events,
        {{ exact_sum('goldstein_scale') }} as goldstein_sum,
        {{ exact_sum('goldstein_scale') }} / nullif(count(goldstein_scale), 0) as goldstein_mean,
        {{ exact_sum('goldstein_scale * num_mentions') }} / nullif(sum(num_mentions), 0) as goldstein_mention_weighted,
        {{ exact_sum('avg_tone * num_articles') }} / nullif(sum(num_articles), 0) as tone_article_weighted,
        sum(num_articles) as articles
    from events
    group by all
)

select
    a.quarter_start,
    strftime(a.quarter_start, '%Y') || '-Q' || quarter(a.quarter_start)::varchar as quarter,
    a.actor1_side,
    a.actor2_side,
    a.events,
    a.verbal_cooperation_events,
    a.material_cooperation_events,
    a.verbal_conflict_events,
    a.material_conflict_events,
    (a.verbal_cooperation_events + a.material_cooperation_events) / a.events as cooperation_share,
    (a.verbal_conflict_events + a.material_conflict_events) / a.events as conflict_share,
    a.goldstein_sum,
    a.goldstein_mean,
    a.goldstein_mention_weighted,
    a.tone_article_weighted,
    a.articles,
    t.kz_events_total,
    t.eu_events_total,
    t.all_events_total,
    1000.0 * a.events / nullif(t.kz_events_total, 0) as events_per_1000_kz_events,
    case when 'EU' in (a.actor1_side, a.actor2_side) then 1000.0 * a.events / nullif(t.eu_events_total, 0) end
        as events_per_1000_eu_events
from activity as a
left join totals as t on t.quarter_start = a.quarter_start
