"""Settings from the environment (names and defaults are part of the public contract)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
# dbt's manifest and run folders; tests point it at a temporary folder (dbt reads the same variable).
DBT_TARGET_DIR = Path(os.environ.get("DBT_TARGET_PATH", DBT_PROJECT_DIR / "target"))

# Partners kept when reading bulk files that hold every partner of the world:
# Kazakhstan and the neighbours used as control series. KZEU_TRADE_PARTNERS=* keeps every partner
# (Settings.trade_partners is then empty: no filter, as the readers and the SDMX key read it).
DEFAULT_TRADE_PARTNERS = ("KZ", "AM", "BY", "GE", "KG", "RU", "UZ")
EVERY_PARTNER = "*"

# The publishers' base URLs (the connectors build every URL under these; KZEU_*_URL points them at a
# mirror or a local test server). GDELT serves its files over plain http only.
DEFAULT_EUROSTAT_URL = "https://ec.europa.eu/eurostat/api"
DEFAULT_GDELT_URL = "http://data.gdeltproject.org"
DEFAULT_DOWNLOAD_MAX_MB = 2048  # a Comext bulk month is ~1 GB unzipped; a GDELT 1.0 day ~100 MB
DEFAULT_HTTP_TIMEOUT_S = 60.0  # seconds without a byte before a read gives up


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    trade_partners: tuple[str, ...]  # () keeps every partner (KZEU_TRADE_PARTNERS=*)
    eurostat_url: str = DEFAULT_EUROSTAT_URL
    gdelt_url: str = DEFAULT_GDELT_URL
    download_max_mb: int = DEFAULT_DOWNLOAD_MAX_MB
    http_timeout_s: float = DEFAULT_HTTP_TIMEOUT_S

    @property
    def build_warehouse(self) -> Path:
        """The writer's working copy; published over `warehouse` only after every check passed."""
        return self.warehouse.parent / ".build" / self.warehouse.name

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The only hosts the connectors may reach (redirects included): those of the base URLs."""
        return frozenset(urlsplit(url).hostname for url in (self.eurostat_url, self.gdelt_url))


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    path = Path(value) if value else default
    return path if path.is_absolute() else (REPO_ROOT / path)


def _base_url(name: str, default: str) -> str:
    url = (os.environ.get(name) or default).strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name}={url!r}: expected an http(s) URL with a host")
    return url


def _positive_number(name: str, default: float, kind: type) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = kind(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}: expected a {kind.__name__}") from None
    if number <= 0:
        raise ValueError(f"{name}={value!r}: expected a positive number")
    return number


def _trade_partners(value: str | None) -> tuple[str, ...]:
    """KZEU_TRADE_PARTNERS: two-letter codes separated by commas, `*` for every partner (an empty
    tuple: no filter), unset or empty for the default seven."""
    codes = [p.strip().upper() for p in (value or "").split(",") if p.strip()]
    if not codes:
        return DEFAULT_TRADE_PARTNERS
    if EVERY_PARTNER in codes:
        if len(codes) > 1:
            raise ValueError(f"KZEU_TRADE_PARTNERS={value!r}: `*` (every partner) stands alone")
        return ()
    bad = [c for c in codes if not c.isalnum()]
    if bad:
        raise ValueError(f"KZEU_TRADE_PARTNERS={value!r}: {bad[0]!r} is not a partner code")
    return tuple(codes)


def load_settings() -> Settings:
    return Settings(
        raw_dir=_path("KZEU_RAW_DIR", REPO_ROOT / "raw"),
        warehouse=_path("KZEU_WAREHOUSE", REPO_ROOT / "warehouse" / "kzeu.duckdb"),
        trade_partners=_trade_partners(os.environ.get("KZEU_TRADE_PARTNERS")),
        eurostat_url=_base_url("KZEU_EUROSTAT_URL", DEFAULT_EUROSTAT_URL),
        gdelt_url=_base_url("KZEU_GDELT_URL", DEFAULT_GDELT_URL),
        download_max_mb=_positive_number("KZEU_DOWNLOAD_MAX_MB", DEFAULT_DOWNLOAD_MAX_MB, int),
        http_timeout_s=_positive_number("KZEU_HTTP_TIMEOUT_S", DEFAULT_HTTP_TIMEOUT_S, float),
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
