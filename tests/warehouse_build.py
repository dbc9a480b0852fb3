"""Build the whole graph in-process and query the result (helpers of the integration tests)."""

import duckdb
import pytest

# Left out of the first build, then dropped into raw/gdelt by a test: a new file is landed and shows.
GDELT_FILE_DROPPED_LATER = "20201115094500.export.KAZ_rows.CSV.zip"


def run_build():
    import dagster as dg

    from pipelines.definitions import defs

    with dg.DagsterInstance.ephemeral() as instance:
        return defs.resolve_job_def("build_warehouse").execute_in_process(instance=instance, raise_on_error=False)


def rebuild(root):
    """Build again over the same raw folder and warehouse."""
    mp = pytest.MonkeyPatch()
    mp.setenv("KZEU_RAW_DIR", str(root / "raw"))
    mp.setenv("KZEU_WAREHOUSE", str(root / "warehouse" / "kzeu.duckdb"))
    try:
        return run_build()
    finally:
        mp.undo()


def query(root, sql, params=None):
    with duckdb.connect(str(root / "warehouse" / "kzeu.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
