"""Energy: EU imports of crude oil, gas and coal from Kazakhstan, by grade where published.

Journey of a file: raw/energy -> readers/ (eurostat_sdmx_csv, eurostat_tsv, dg_ener_register,
reference_facts) -> raw.energy_imports (schema.py) -> suite.py -> dbt staging/energy -> marts/energy.
"""

from pipelines.connectors import refresh_energy
from pipelines.core.domain import Domain, Download, RawSource, Suite
from pipelines.domains.energy.readers import read_energy_file
from pipelines.domains.energy.schema import ENERGY_IMPORTS
from pipelines.domains.energy.suite import ENERGY_ROW_LOCATOR, energy_expectations

DOMAIN = Domain(
    name="energy",
    sources=(
        RawSource(
            folder="energy",
            table=ENERGY_IMPORTS,
            reader=lambda settings: read_energy_file,
            suites={
                "energy_imports": Suite(
                    energy_expectations,
                    tuple(ENERGY_ROW_LOCATOR),
                    "Great Expectations suite on the landed energy observations: columns, non-null keys, dataset, "
                    "code and flag sets, periods in range, one row per key within a file, volumes and values "
                    "non-negative, shares within 0..1 (or 0..100 for percentages), cited facts with a source URL.",
                ),
            },
            description=(
                "EU energy imports by origin from every file in raw/energy: Eurostat nrg_ti_oil, nrg_ti_gas, "
                "nrg_ti_sff and nrg_ti_coifpm (SDMX-CSV or TSV bulk), the DG ENER crude oil import register, "
                "and cited reference facts; one observation per row, flags kept, recognised by header."
            ),
            summary_sql=(
                "SELECT dataset, indicator_code, count(*) AS rows, count(obs_value) AS with_value, "
                "min(period_code) AS first_period, max(period_code) AS last_period "
                "FROM {table} GROUP BY ALL ORDER BY ALL"
            ),
            downloads=(
                Download(
                    "eurostat_energy_imports",
                    "monthly",
                    lambda settings, month: refresh_energy(settings, month),
                    "Eurostat SDMX-CSV of the month for nrg_ti_coifpm (Kazakh grades and all crude) and the "
                    "nrg_ti_* datasets (imports from Kazakhstan) into raw/energy/.",
                ),
            ),
        ),
    ),
)
