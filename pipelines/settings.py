"""Settings from the environment (names and defaults are part of the public contract)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
# dbt's manifest and run folders; tests point it at a temporary folder (dbt reads the same variable).
DBT_TARGET_DIR = Path(os.environ.get("DBT_TARGET_PATH", DBT_PROJECT_DIR / "target"))

# Partners kept when reading bulk files that hold every partner of the world:
# Kazakhstan and the neighbours used as control series.
DEFAULT_TRADE_PARTNERS = ("KZ", "AM", "BY", "GE", "KG", "RU", "UZ")


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    trade_partners: tuple[str, ...]

    @property
    def build_warehouse(self) -> Path:
        """The writer's working copy; published over `warehouse` only after every check passed."""
        return self.warehouse.parent / ".build" / self.warehouse.name


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    path = Path(value) if value else default
    return path if path.is_absolute() else (REPO_ROOT / path)


def load_settings() -> Settings:
    partners = os.environ.get("KZEU_TRADE_PARTNERS")
    return Settings(
        raw_dir=_path("KZEU_RAW_DIR", REPO_ROOT / "raw"),
        warehouse=_path("KZEU_WAREHOUSE", REPO_ROOT / "warehouse" / "kzeu.duckdb"),
        trade_partners=tuple(p.strip().upper() for p in partners.split(",") if p.strip())
        if partners
        else DEFAULT_TRADE_PARTNERS,
    )


def quiet_environment() -> None:
    """No telemetry from dbt, Dagster or Great Expectations: nothing calls out during a build."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / ".dagster"))
    home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("# written by kzeu: no usage statistics leave this machine\ntelemetry:\n  enabled: false\n")
