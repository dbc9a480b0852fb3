"""Eurostat: energy imports and Comext trade, downloaded into raw/energy and raw/trade.

URL shapes (all under KZEU_EUROSTAT_URL, default https://ec.europa.eu/eurostat/api), checked
against Eurostat's API documentation on 2026-11 with the project's search tool:

- SDMX-CSV comes from the SDMX 2.1 data query,
  `{api}/dissemination/sdmx/2.1/data/{flowRef}/{key}?format=SDMX-CSV&startPeriod=..&endPeriod=..`
  ("API SDMX 2.1 - data query", https://wikis.ec.europa.eu/display/EUROSTATHELP/API+SDMX+2.1+-+data+query:
  the key is a dot-separated list of dimension values in the order of the data structure, several
  values joined by '+', an empty position for all; `format` takes SDMX-CSV, TSV, JSON, ...;
  startPeriod/endPeriod filter on time). The header of such a file follows the same order, e.g.
  `DATAFLOW,LAST UPDATE,freq,siec,partner,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG` (raw/SOURCES.md).
- The Statistics API, `{api}/dissemination/statistics/1.0/data/{dataset}`, answers in JSON-stat 2.0
  only ("API - Detailed guidelines - API Statistics",
  https://ec.europa.eu/eurostat/web/user-guides/data-browser/api-data-access/api-detailed-guidelines/api-statistics),
  so it is not used for SDMX-CSV.
- Comext datasets have their own root, `{api}/comext/dissemination` ("API - Getting started with
  statistics API", https://wikis.ec.europa.eu/pages/viewpage.action?pageId=95552810); DS-045409 is
  served as `{api}/comext/dissemination/sdmx/2.1/data/DS-045409/{freq.reporter.partner.product.flow.indicators}`
  (the same path in several public clients of the dataset found by the search tool, e.g. a key
  `M.EU27_2020.CN.{HS6}.{flow}.VALUE_IN_EUROS`; one note there says an aggregate reporter may come
  back empty, which is harmless: the member states are asked for too).
- Comext bulk months: `{api}/dissemination/files/?file=comext/COMEXT_DATA/PRODUCTS/full_v2_YYYYMM.7z`
  (YYYY52 for a whole year); public download scripts use exactly this query, and notes report that
  the older names `fullYYYYMM.7z` now answer 404. The archive holds one `full_YYYYMM.dat`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial

from pipelines.connectors.archives import extract_single_7z_member
from pipelines.connectors.download import DownloadResult, download_file, open_client
from pipelines.connectors.http import HttpClient
from pipelines.connectors.periods import Period
from pipelines.core.seeds import read_seed
from pipelines.settings import Settings

COMEXT_DATASET = "DS-045409"
EU_AGGREGATE = "EU27_2020"
COMEXT_PRODUCTS = ("TOTAL", "27")  # all goods; HS chapter 27, mineral fuels
COMEXT_FLOWS = ("1", "2")  # import, export (seen from the reporter)
COMEXT_INDICATORS = ("VALUE_IN_EUROS",)
SUPPLIER = "KZ"


@dataclass(frozen=True)
class SdmxQuery:
    dataset: str
    key: str
    monthly: bool  # time periods are months (YYYY-MM), not years


def sdmx_key(*dimensions: tuple[str, ...]) -> str:
    """One position per dimension, in the data structure's order; () means every value."""
    return ".".join("+".join(values) for values in dimensions)


@lru_cache(maxsize=1)
def kazakh_crude_grades() -> tuple[str, ...]:
    """nrg_ti_coifpm crudeoil codes of Kazakh origin, and TOTAL (all crudes), from the dbt seed."""
    rows = read_seed("crude_oil_grades")
    return tuple(r["grade_code"] for r in rows if r["origin_code"] == SUPPLIER or r["grade_code"] == "TOTAL")


@lru_cache(maxsize=1)
def comext_reporters() -> tuple[str, ...]:
    """EU27_2020 and the member states in Comext's codes (ISO alpha-2, so Greece is GR)."""
    return (EU_AGGREGATE, *sorted(r["iso2_code"] for r in read_seed("eu27_member_states")))


def energy_queries() -> dict[str, SdmxQuery]:
    """The energy datasets in scope: imports from Kazakhstan; crude imports by Kazakh grade."""
    by_partner = sdmx_key((), (), (SUPPLIER,), (), ())  # freq.siec.partner.unit.geo
    return {
        "nrg_ti_oil": SdmxQuery("nrg_ti_oil", by_partner, monthly=False),
        "nrg_ti_gas": SdmxQuery("nrg_ti_gas", by_partner, monthly=False),
        "nrg_ti_sff": SdmxQuery("nrg_ti_sff", by_partner, monthly=False),
        # freq.crudeoil.indic_nrg.geo
        "nrg_ti_coifpm": SdmxQuery("nrg_ti_coifpm", sdmx_key((), kazakh_crude_grades(), (), ()), monthly=True),
    }


def comext_query(partners: tuple[str, ...]) -> SdmxQuery:
    key = sdmx_key(("M",), comext_reporters(), partners, COMEXT_PRODUCTS, COMEXT_FLOWS, COMEXT_INDICATORS)
    return SdmxQuery(COMEXT_DATASET, key, monthly=True)


def sdmx_data_url(api_url: str, query: SdmxQuery) -> str:
    root = f"{api_url}/comext/dissemination" if query.dataset.startswith("DS-") else f"{api_url}/dissemination"
    return f"{root}/sdmx/2.1/data/{query.dataset}/{query.key}"


def sdmx_params(query: SdmxQuery, period: Period) -> dict[str, str]:
    start, end = period.window(query.monthly)
    return {"format": "SDMX-CSV", "startPeriod": start, "endPeriod": end}


def energy_file_name(query: SdmxQuery, period: Period) -> str:
    return f"eurostat_{query.dataset}_{SUPPLIER}_{period.label_for(query.monthly)}.sdmx.csv"


def comext_file_name(period: Period) -> str:
    return f"comext_{COMEXT_DATASET.lower().replace('-', '')}_{period.label}.sdmx.csv"


def comext_bulk_request(api_url: str, period: Period) -> tuple[str, dict[str, str]]:
    return f"{api_url}/dissemination/files/", {
        "file": f"comext/COMEXT_DATA/PRODUCTS/full_v2_{period.comext_bulk_code}.7z"
    }


def comext_bulk_file_name(period: Period, gzip_output: bool = True) -> str:
    """As the archive's member is named (full_YYYYMM.dat, without the _v2), gzip'd by default."""
    return f"full_{period.comext_bulk_code}.dat" + (".gz" if gzip_output else "")


# --- refresh functions (Dagster assets and `kzeu refresh` call these) ---------------------------


def refresh_energy(
    settings: Settings,
    period: str | Period,
    *,
    datasets: tuple[str, ...] | None = None,
    client: HttpClient | None = None,
) -> list[DownloadResult]:
    """SDMX-CSV of each energy dataset for the period, one file per dataset and period in raw/energy."""
    period, queries = Period.parse(period), energy_queries()
    unknown = set(datasets or ()) - set(queries)
    if unknown:
        raise ValueError(f"unknown energy dataset(s) {sorted(unknown)}; known: {sorted(queries)}")
    chosen = [queries[name] for name in (datasets or tuple(queries))]
    with open_client(settings, client) as http:
        return [
            download_file(
                http,
                sdmx_data_url(settings.eurostat_url, q),
                settings.raw_dir / "energy" / energy_file_name(q, period),
                params=sdmx_params(q, period),
            )
            for q in chosen
        ]


def refresh_trade(
    settings: Settings,
    period: str | Period,
    *,
    client: HttpClient | None = None,
) -> list[DownloadResult]:
    """Comext DS-045409 SDMX-CSV of the month (or year): EU27 and member states with the configured
    partners (KZEU_TRADE_PARTNERS), products TOTAL and 27, both flows, value in euro; into raw/trade."""
    period, query = Period.parse(period), comext_query(settings.trade_partners)
    with open_client(settings, client) as http:
        return [
            download_file(
                http,
                sdmx_data_url(settings.eurostat_url, query),
                settings.raw_dir / "trade" / comext_file_name(period),
                params=sdmx_params(query, period),
            )
        ]


def refresh_trade_bulk(
    settings: Settings,
    period: str | Period,
    *,
    gzip_output: bool = True,
    client: HttpClient | None = None,
) -> list[DownloadResult]:
    """The Comext bulk file of a month (YYYY-MM) or year (YYYY): full_v2_*.7z downloaded to a hidden
    temporary file, its single .dat extracted into raw/trade (gzip'd by default), the archive removed."""
    period = Period.parse(period)
    url, params = comext_bulk_request(settings.eurostat_url, period)
    target = settings.raw_dir / "trade" / comext_bulk_file_name(period, gzip_output)
    with open_client(settings, client) as http:
        extract = partial(extract_single_7z_member, suffix=".dat", max_bytes=http.max_bytes, gzip_output=gzip_output)
        return [download_file(http, url, target, params=params, transform=extract)]
