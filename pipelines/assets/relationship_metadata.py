"""Key figures of the relationship marts as Dagster asset metadata: the latest index with its band, each
event-study estimate with its interval, the largest mirror gaps (issue 10). Read from the build copy
once dbt is done; the figures come from pipelines.relationship.marts."""

from __future__ import annotations

import dagster as dg


def _json(value) -> dg.MetadataValue:
    def plain(item):
        if isinstance(item, dict):
            return {k: plain(v) for k, v in item.items()}
        if isinstance(item, list):
            return [plain(v) for v in item]
        return item if isinstance(item, str | int | bool | type(None)) else float(item)

    return dg.MetadataValue.json(plain(value))


def relationship_metadata(con, table: str) -> dict[str, dg.MetadataValue]:
    """Metadata for one mart (schema.name); empty for marts outside the relationship layer."""
    if table not in ("marts.fct_relationship_index_annual", "marts.fct_event_study", "marts.fct_trade_mirror_annual"):
        return {}
    # statsmodels comes with the module (seconds to import): loaded only once such a mart was built,
    # not when the definitions load (the UI, the sensor's runs, `kzeu build`)
    from pipelines.relationship import marts

    if table == "marts.fct_relationship_index_annual":
        latest = marts.latest_index(con)
        return {"latest_index": _json(latest)} if latest else {}
    if table == "marts.fct_event_study":
        return {"estimates": _json(marts.event_study_estimates(con))}
    if table == "marts.fct_trade_mirror_annual":
        return {"largest_gaps": _json(marts.largest_mirror_gaps(con))}
    return {}
