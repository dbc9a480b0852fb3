"""The weights of every scheme of the index (pipelines.relationship.marts.index_weight_rows)."""

from pipelines.relationship.marts import index_weight_rows


def model(dbt, session):
    return index_weight_rows(dbt.ref("fct_relationship_index_components").df())
