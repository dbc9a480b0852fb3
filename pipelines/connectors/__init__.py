"""Connectors: download the publishers' files into the raw folder (the only code that calls out).

One refresh function per source, each returning one `DownloadResult` (file, status
downloaded|unchanged, bytes) per file it wrote or left unchanged, and raising `DownloadError`
(one line: URL and reason) on any failure:

    refresh_energy(settings, "2024-03")        raw/energy  Eurostat SDMX-CSV (nrg_ti_oil/gas/sff, coifpm)
    refresh_trade(settings, "2024-03")         raw/trade   Comext DS-045409 SDMX-CSV
    refresh_trade_bulk(settings, "2024-03")    raw/trade   Comext full_v2_YYYYMM.7z -> full_YYYYMM.dat.gz
    refresh_gdelt_day(settings, "2024-03-15")  raw/gdelt   GDELT 2.0 15-minute exports of the day
    refresh_gdelt_latest(settings)             raw/gdelt   GDELT 2.0 latest batch
    refresh_gdelt1_day(settings, "2016-07-28") raw/gdelt   GDELT 1.0 daily export

Modules: http.py (the client: allow-listed hosts, retries, limits), download.py (conditional,
verified, atomic file downloads), state.py (ETag / Last-Modified / sha256 per URL), archives.py
(safe 7z / zip handling), periods.py (partition keys), eurostat.py and gdelt.py (URLs per source).
"""

from __future__ import annotations

from pipelines.connectors.download import DownloadResult
from pipelines.connectors.eurostat import refresh_energy, refresh_trade, refresh_trade_bulk
from pipelines.connectors.gdelt import refresh_gdelt1_day, refresh_gdelt_day, refresh_gdelt_latest
from pipelines.connectors.http import DownloadError, HttpClient

__all__ = [
    "DownloadError",
    "DownloadResult",
    "HttpClient",
    "refresh_energy",
    "refresh_gdelt1_day",
    "refresh_gdelt_day",
    "refresh_gdelt_latest",
    "refresh_trade",
    "refresh_trade_bulk",
]
