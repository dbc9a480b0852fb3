"""Cross-correlations of each lead-lag pair (pipelines.relationship.marts.lead_lag_results)."""

from pipelines.relationship.marts import lead_lag_results


def model(dbt, session):
    correlations, _ = lead_lag_results(
        dbt.ref("int_relationship__series").df(), dbt.ref("relationship_lead_lag_pairs").df()
    )
    return correlations
