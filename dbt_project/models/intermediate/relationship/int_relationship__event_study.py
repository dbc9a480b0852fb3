"""The event study, one row per case and estimator (pipelines.relationship.marts.event_study_rows)."""

from pipelines.relationship.marts import event_study_rows


def model(dbt, session):
    return event_study_rows(
        dbt.ref("int_relationship__series").df(),
        dbt.ref("relationship_event_study_cases").df(),
        dbt.ref("relationship_milestones").df(),
        dbt.ref("relationship_confounders").df(),
    )
