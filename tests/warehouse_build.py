"""Build the whole graph in-process and query the result (helpers of the integration tests)."""

import duckdb
import pytest

# Left out of the first build, then dropped into raw/gdelt by a test: a new file is landed and shows.
GDELT_FILE_DROPPED_LATER = "20201115094500.export.KAZ_rows.CSV.zip"


def run_build(force: bool = False):
    import dagster as dg

    from pipelines.core.build_state import FORCE_TAG
    from pipelines.definitions import defs

    with dg.DagsterInstance.ephemeral() as instance:
        return defs.resolve_job_def("build_warehouse").execute_in_process(
            instance=instance, raise_on_error=False, tags={FORCE_TAG: "true"} if force else None
        )


def rebuild(root, force: bool = False):
    """Build again over the same raw folder and warehouse; `force`: every suite, model and test runs and
    the result is published even where nothing changed (`kzeu build --force`)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("KZEU_RAW_DIR", str(root / "raw"))
    mp.setenv("KZEU_WAREHOUSE", str(root / "warehouse" / "kzeu.duckdb"))
    try:
        return run_build(force)
    finally:
        mp.undo()


def materialized(result) -> set[str]:
    """The asset keys a run materialised."""
    return {
        e.event_specific_data.materialization.asset_key.to_user_string()
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION"
    }


def query(root, sql, params=None):
    with duckdb.connect(str(root / "warehouse" / "kzeu.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
