-- Events per day and side over all landed GDELT files (the normalising denominators).
select
    event_date,
    actor_side,
    sum(events) as events,
    count(distinct _source_file) as files
from {{ source('diplomacy', 'gdelt_actor_totals') }}
group by event_date, actor_side
