"""Finance: foreign direct investment in Kazakhstan, by partner and by economic activity (wiiw FDI Database).

Journey of a file: raw/finance -> readers/ (wiiw_fdi_csv) -> raw.fdi_by_partner and raw.fdi_by_activity
(schema.py) -> suite.py -> dbt staging/finance -> marts/finance.
"""

from pipelines.core.domain import Domain, RawSource, Suite
from pipelines.domains.finance.readers import read_finance_file
from pipelines.domains.finance.schema import FDI_BY_ACTIVITY, FDI_BY_PARTNER
from pipelines.domains.finance.suite import (
    ACTIVITY_ROW_LOCATOR,
    PARTNER_ROW_LOCATOR,
    fdi_by_activity_expectations,
    fdi_by_partner_expectations,
)

_SUITE_CHECKS = (
    "columns and types, non-null keys, directions and partner codes from their sets, one row per key within a "
    "file, years 1990..today, amounts within +-1,000,000 EUR million (a unit error otherwise), stock shares "
    "within +-100 % and the total at 100 %."
)

DOMAIN = Domain(
    name="finance",
    sources=(
        RawSource(
            folder="finance",
            table=FDI_BY_PARTNER,
            reader=lambda settings: read_finance_file,
            suites={
                "fdi_by_partner": Suite(
                    fdi_by_partner_expectations,
                    tuple(PARTNER_ROW_LOCATOR),
                    f"Great Expectations suite on the landed FDI rows by partner: {_SUITE_CHECKS}",
                ),
                "fdi_by_activity": Suite(
                    fdi_by_activity_expectations,
                    tuple(ACTIVITY_ROW_LOCATOR),
                    f"Great Expectations suite on the landed FDI rows by economic activity (NACE): {_SUITE_CHECKS}",
                ),
            },
            description=(
                "Foreign direct investment in Kazakhstan from every file in raw/finance: wiiw FDI Database CSV "
                "exports (source: National Bank of Kazakhstan), inflow and inward stock in EUR million with "
                "wiiw's published share of the total, by partner (raw.fdi_by_partner) or by NACE activity "
                "(raw.fdi_by_activity), recognised by header, plain or gzip."
            ),
            summary_sql=(
                "SELECT direction, count(*) AS rows, count(value_eur_million) AS with_value, "
                "min(year) AS first_year, max(year) AS last_year FROM {table} GROUP BY 1 ORDER BY 1"
            ),
            other_tables=(FDI_BY_ACTIVITY,),
        ),
    ),
)
