{{ config(contract={'enforced': true}) }}
-- The weight of each component in each scheme of the relationship index (each scheme sums to one).
select
    scheme,
    component,
    component_group,
    round(weight, 12) as weight,
    round(pca_explained_share, 12) as pca_explained_share
from {{ ref('int_relationship__index_weights') }}
