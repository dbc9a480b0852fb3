{{ config(contract={'enforced': true}) }}
-- How close is the relationship, year by year? The composite index of fct_relationship_index_components
-- for every normalisation and weighting scheme (OECD/JRC Handbook 2008; pipelines/relationship/composite_index.py).
-- The reference is min-max normalisation with equal weights (is_reference).
select
    cast(year as integer) as year,
    normalisation,
    scheme,
    round(index_value, 9) as index_value,
    cast(rank as integer) as rank,
    cast(years_ranked as integer) as years_ranked,
    cast(n_components as integer) as n_components,
    is_reference,
    method,
    caveat
from {{ ref('int_relationship__index_scores') }}
