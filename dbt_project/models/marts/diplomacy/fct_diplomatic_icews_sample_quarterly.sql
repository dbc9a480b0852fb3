-- Kazakhstan's events in the ICEWS SAMPLE per quarter and dyad (KZ-EU, KZ-other, KZ-KZ), by
-- QuadClass. The sample holds a known share of each period's events (seed icews_sample_coverage:
-- about a fifth of 2005-2015, all of 2014, 29 Aug-31 Oct 2018): sample_coverage is the day-weighted
-- share of the quarter's events the sample holds, so counts are sample counts, not totals, and are
-- kept apart from GDELT and the catalogue. Every covered quarter has a row per dyad (0 = none in
-- the sample); quarters the sample does not cover (2016 to August 2018) have none.
{%- set dyads = ['KZ-EU', 'KZ-other', 'KZ-KZ'] %}

with windows as (
    select * from {{ ref('icews_sample_coverage') }}
),

days as (
    select unnest(generate_series(min(window_start), max(window_end), interval 1 day))::date as calendar_day
    from windows
),

daily_coverage as (
    select
        d.calendar_day,
        max(w.sample_share) as sample_share
    from days as d
    inner join windows as w on d.calendar_day between w.window_start and w.window_end
    group by d.calendar_day
),

quarters as (
    select
        date_trunc('quarter', calendar_day)::date as quarter_start,
        {{ exact_sum('sample_share') }} as covered_day_shares
    from daily_coverage
    group by quarter_start
),

quarter_datasets as (
    select
        q.quarter_start,
        array_to_string(
            list_sort(list(distinct w.dataset || ' ' || replace(w.splits_in_sample, ';', '+'))), '; '
        ) as sample_datasets
    from quarters as q
    inner join windows as w
        on w.window_start < q.quarter_start + interval 3 month and w.window_end >= q.quarter_start
    group by q.quarter_start
),

dyads as (
    select unnest([{{ "'" ~ dyads | join("', '") ~ "'" }}]) as dyad
),

counts as (
    select
        date_trunc('quarter', event_date)::date as quarter_start,
        dyad,
        count(*) as events,
        count(*) filter (where quad_class = 1) as verbal_cooperation_events,
        count(*) filter (where quad_class = 2) as material_cooperation_events,
        count(*) filter (where quad_class = 3) as verbal_conflict_events,
        count(*) filter (where quad_class = 4) as material_conflict_events,
        count(*) filter (where quad_class is null) as unclassified_events,
        count(*) filter (where source_side = 'KZ') as events_with_kz_as_source
    from {{ ref('stg_icews__events') }}
    group by all
)

select
    q.quarter_start,
    strftime(q.quarter_start, '%Y') || '-Q' || quarter(q.quarter_start)::varchar as quarter,
    d.dyad,
    coalesce(c.events, 0) as events,
    coalesce(c.verbal_cooperation_events, 0) as verbal_cooperation_events,
    coalesce(c.material_cooperation_events, 0) as material_cooperation_events,
    coalesce(c.verbal_conflict_events, 0) as verbal_conflict_events,
    coalesce(c.material_conflict_events, 0) as material_conflict_events,
    coalesce(c.unclassified_events, 0) as unclassified_events,
    coalesce(c.events_with_kz_as_source, 0) as events_with_kz_as_source,
    (c.verbal_cooperation_events + c.material_cooperation_events)
    / nullif(c.events - c.unclassified_events, 0) as cooperation_share,
    (c.verbal_conflict_events + c.material_conflict_events)
    / nullif(c.events - c.unclassified_events, 0) as conflict_share,
    q.covered_day_shares / ((q.quarter_start + interval 3 month)::date - q.quarter_start) as sample_coverage,
    qd.sample_datasets,
    true as is_sample
from quarters as q
inner join quarter_datasets as qd on qd.quarter_start = q.quarter_start
cross join dyads as d
left join counts as c on c.quarter_start = q.quarter_start and c.dyad = d.dyad
