"""The relationship index per year, normalisation and weighting scheme (pipelines.relationship.marts.index_rows)."""

from pipelines.relationship.marts import index_rows


def model(dbt, session):
    return index_rows(dbt.ref("fct_relationship_index_components").df())
