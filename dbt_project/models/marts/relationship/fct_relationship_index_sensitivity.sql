{{ config(contract={'enforced': true}) }}
-- How much does the ranking of years depend on the weights? Per year and normalisation: the reference
-- (equal weights) index and rank beside the band of index values and ranks over every scheme (equal, equal by
-- group, PCA, each leave-one-component-out).
select
    cast(year as integer) as year,
    normalisation,
    round(index_reference, 9) as index_reference,
    round(index_min, 9) as index_min,
    round(index_max, 9) as index_max,
    cast(rank_reference as integer) as rank_reference,
    cast(rank_min as integer) as rank_min,
    cast(rank_max as integer) as rank_max,
    cast(rank_range as integer) as rank_range,
    cast(n_schemes as integer) as n_schemes
from {{ ref('int_relationship__index_sensitivity') }}
