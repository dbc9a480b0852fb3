"""KZEU_TRADE_PARTNERS=* (every partner) on the raw snapshot: the same Kazakh marts as the default build.

The partner set only decides which rows of whole-world bulk files land; every mart about Kazakhstan
must come out the same whatever the set (the rows of other partners add rows, never change KZ's).
"""

import duckdb
import pytest

from conftest import copy_snapshot
from warehouse_build import GDELT_FILE_DROPPED_LATER, rebuild

pytestmark = pytest.mark.slow


def kazakh_marts(root) -> dict[str, list]:
    """The trade marts and those with a partner column: their rows, partner KZ's where there is one."""
    with duckdb.connect(str(root / "warehouse" / "kzeu.duckdb"), read_only=True) as con:
        tables = con.execute(
            "SELECT table_name, list(column_name) FROM information_schema.columns "
            "WHERE table_schema = 'marts' GROUP BY 1 ORDER BY 1"
        ).fetchall()
        marts = {}
        for table, columns in tables:
            if "trade" not in table and "partner_code" not in columns:
                continue  # GDELT, energy and finance marts: not touched by the partner set
            where = "WHERE partner_code = 'KZ'" if "partner_code" in columns else ""
            marts[table] = con.execute(f'SELECT * FROM marts."{table}" {where} ORDER BY ALL').fetchall()
        return marts


def test_every_partner_build_gives_the_same_kazakh_marts(built, tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("every_partner")
    copy_snapshot(root / "raw", leave_out=(GDELT_FILE_DROPPED_LATER,))
    monkeypatch.setenv("KZEU_TRADE_PARTNERS", "*")
    result = rebuild(root)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    every, default = kazakh_marts(root), kazakh_marts(built)
    assert every.keys() == default.keys() and len(every) >= 4
    for table in default:
        assert every[table] == default[table], table
