"""Granger tests of each lead-lag pair, both directions (pipelines.relationship.marts.lead_lag_results)."""

from pipelines.relationship.marts import lead_lag_results


def model(dbt, session):
    _, granger = lead_lag_results(dbt.ref("int_relationship__series").df(), dbt.ref("relationship_lead_lag_pairs").df())
    return granger
