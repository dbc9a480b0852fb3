"""Energy: every file in raw/energy lands in raw.energy_imports (reader: pipelines/sources/energy.py)."""

import dagster as dg

from pipelines.domains.energy.readers import read_energy_file
from pipelines.domains.energy.schema import ENERGY_IMPORTS
from pipelines.assets.raw_folder import raw_folder_asset, raw_key

RAW_ENERGY_IMPORTS = raw_key(ENERGY_IMPORTS)

raw_energy = raw_folder_asset(
    domain="energy",
    raw_table=ENERGY_IMPORTS,
    reader=lambda settings: read_energy_file,
    group="energy",
    description=(
        "EU energy imports by origin from every file in raw/energy: Eurostat nrg_ti_oil, nrg_ti_gas, "
        "nrg_ti_sff and nrg_ti_coifpm (SDMX-CSV or TSV bulk), the DG ENER crude oil import register, "
        "and cited reference facts; one observation per row, flags kept, recognised by header."
    ),
    downloads=(dg.AssetKey(["download", "eurostat_energy_imports"]),),
    summary_sql=(
        "SELECT dataset, indicator_code, count(*) AS rows, count(obs_value) AS with_value, "
        "min(period_code) AS first_period, max(period_code) AS last_period FROM {table} GROUP BY ALL ORDER BY ALL"
    ),
)
