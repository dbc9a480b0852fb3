"""The index's sensitivity table per year and normalisation (pipelines.relationship.marts.index_sensitivity_rows)."""

from pipelines.relationship.marts import index_sensitivity_rows


def model(dbt, session):
    return index_sensitivity_rows(dbt.ref("fct_relationship_index_components").df())
