"""Landing a raw folder: idempotent, a changed file replaces its rows, bad files land nothing."""

import os

import duckdb
import pytest

from conftest import write
from fixtures_trade import BULK_ROWS_18, bulk_18, relational, sdmx
from pipelines.core.errors import RawFileError
from pipelines.core.landing import land_folder
from pipelines.domains.trade.readers import read_trade_file
from pipelines.domains.trade.schema import TRADE_FLOWS


def land(con, raw_dir, partners=("AD", "KZ")):
    return land_folder(con, raw_dir, "trade", TRADE_FLOWS, lambda c, path: read_trade_file(c, path, partners))


def table(con):
    return con.sql("SELECT * EXCLUDE (_loaded_at) FROM raw.trade_flows ORDER BY ALL").fetchall()


@pytest.fixture
def raw_dir(tmp_path):
    write(tmp_path / "raw" / "trade" / "full_202402.dat", bulk_18())
    write(tmp_path / "raw" / "trade" / "relational.csv", relational())
    write(tmp_path / "raw" / "trade" / "sdmx.csv.gz", sdmx(), compress=True)
    return tmp_path / "raw"


def test_land_then_rerun_is_a_no_op(tmp_path, raw_dir):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = land(con, raw_dir)
    assert [load.status for load in first] == ["loaded"] * 3
    before = table(con)
    second = land(con, raw_dir)
    assert [load.status for load in second] == ["unchanged"] * 3
    assert table(con) == before
    lineage = con.sql("SELECT DISTINCT _source_file, length(_source_sha256) FROM raw.trade_flows ORDER BY 1").fetchall()
    assert lineage == [("trade/full_202402.dat", 64), ("trade/relational.csv", 64), ("trade/sdmx.csv.gz", 64)]


def test_changed_file_replaces_its_own_rows_and_removed_file_leaves(tmp_path, raw_dir):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    land(con, raw_dir)
    write(raw_dir / "trade" / "full_202402.dat", bulk_18(BULK_ROWS_18[:2]))
    (raw_dir / "trade" / "relational.csv").unlink()
    loads = {load.file: load.status for load in land(con, raw_dir)}
    assert loads == {
        "trade/full_202402.dat": "loaded",
        "trade/sdmx.csv.gz": "unchanged",
        "trade/relational.csv": "removed",
    }
    counts = dict(con.sql("SELECT _source_file, count(*) FROM raw.trade_flows GROUP BY 1").fetchall())
    assert counts == {"trade/full_202402.dat": 2, "trade/sdmx.csv.gz": 6}


def test_audit_log_has_a_row_per_file_and_load(tmp_path, raw_dir):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    land(con, raw_dir)
    log = con.sql(
        "SELECT file, status, rows_read, rows_kept, rows_rejected FROM audit.load_log ORDER BY file"
    ).fetchall()
    assert log == [
        ("trade/full_202402.dat", "loaded", 4, 4, 0),
        ("trade/relational.csv", "loaded", 8, 8, 0),
        ("trade/sdmx.csv.gz", "loaded", 7, 6, 1),  # the quantity row folds into its value row
    ]


def test_a_bad_file_lands_nothing_and_is_logged(tmp_path, raw_dir):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    land(con, raw_dir)
    before = table(con)
    write(raw_dir / "trade" / "full_202402.dat", bulk_18(BULK_ROWS_18[:2]))  # a good change ...
    write(raw_dir / "trade" / "zz_bad.csv", relational(["Austria,Atlantis,Total,EXPORT,Total,Jan.-Dec. 2018,5"]))
    with pytest.raises(RawFileError):
        land(con, raw_dir)
    assert table(con) == before  # ... does not land either: one transaction per load
    status = con.sql("SELECT file, status, message FROM audit.load_log WHERE status = 'rejected'").fetchall()
    assert status[0][0] == "trade/zz_bad.csv" and "Atlantis" in status[0][2]


def test_a_raw_table_of_an_older_shape_is_rebuilt_from_the_files(tmp_path, raw_dir):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    land(con, raw_dir)
    before = table(con)
    con.execute("ALTER TABLE raw.trade_flows DROP COLUMN vintage")  # as an older version left it
    assert [load.status for load in land(con, raw_dir)] == ["loaded"] * 3
    assert table(con) == before


def test_a_changed_table_shape_relands_every_table_of_the_folder(tmp_path):
    """GDELT files feed raw.gdelt_events and its companion raw.gdelt_actor_totals. After a new version
    changes the events table's shape, the files land again in both: a file still held by the
    companion must not count as landed (it did once, and the events were lost on upgrade)."""
    from fixtures_gdelt import GDELT1_ROWS, gdelt_text, write_gdelt
    from pipelines.domains.diplomacy.readers import read_gdelt_file
    from pipelines.domains.diplomacy.schema import GDELT

    raw = tmp_path / "raw"
    write_gdelt(raw / "gdelt" / "20160728.export.CSV", gdelt_text(GDELT1_ROWS))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    land_folder(con, raw, "gdelt", GDELT, read_gdelt_file)
    held = "SELECT * EXCLUDE (_loaded_at) FROM raw.gdelt_events ORDER BY global_event_id"
    events = con.sql(held).fetchall()
    assert events
    con.execute("ALTER TABLE raw.gdelt_events DROP COLUMN actor1_is_eu")  # as an older version left it
    assert [load.status for load in land_folder(con, raw, "gdelt", GDELT, read_gdelt_file)] == ["loaded"]
    assert con.sql(held).fetchall() == events


def test_a_touched_file_with_the_same_bytes_keeps_its_rows(tmp_path, raw_dir):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    land(con, raw_dir)
    held = "SELECT * FROM raw.trade_flows ORDER BY ALL"  # _loaded_at too: the rows are not landed again
    before = con.sql(held).fetchall()
    path = raw_dir / "trade" / "full_202402.dat"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert {load.file: load.status for load in land(con, raw_dir)}["trade/full_202402.dat"] == "unchanged"
    assert con.sql(held).fetchall() == before


def test_duckdb_settings_are_put_back_after_landing(tmp_path, raw_dir):
    """A whole Comext month must land in bounded memory (issue 12): the memory limit is lowered while
    landing, and rows are inserted in any order. Both settings are the database's: they are put back
    afterwards, also after a rejected load (a failed INSERT aborts the transaction)."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("SET memory_limit = '2GiB'")
    seen = []

    def reader(c, path):
        seen.append(c.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])
        return read_trade_file(c, path, ("AD", "KZ"))

    land_folder(con, raw_dir, "trade", TRADE_FLOWS, reader)
    assert set(seen) == {"512.0 MiB"}
    settings = "SELECT current_setting('memory_limit'), current_setting('preserve_insertion_order')"
    assert con.execute(settings).fetchall() == [("2.0 GiB", True)]
    write(raw_dir / "trade" / "zz_bad.csv", relational(["Austria,Atlantis,Total,EXPORT,Total,Jan.-Dec. 2018,5"]))
    with pytest.raises(RawFileError, match="Atlantis"):
        land_folder(con, raw_dir, "trade", TRADE_FLOWS, reader)
    assert con.execute(settings).fetchall() == [("2.0 GiB", True)]
    (raw_dir / "trade" / "zz_bad.csv").unlink()
    write(raw_dir / "trade" / "zz_text.dat", bulk_18(["AT,KZ,E,27090010,x,x,x,x,x,x,1,1,NO_SU,202402,abc,1,1,0"]))
    with pytest.raises(RawFileError):  # DuckDB's own conversion error, raised by the INSERT
        land_folder(con, raw_dir, "trade", TRADE_FLOWS, reader)
    assert con.execute(settings).fetchall() == [("2.0 GiB", True)]
