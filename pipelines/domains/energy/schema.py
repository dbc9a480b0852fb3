"""The one shape every energy reader lands: publisher codes kept as published, one observation per row."""

from __future__ import annotations

from pipelines.core.tables import RawTable

# Column -> DuckDB type of `raw.energy_imports` (lineage columns are added by the loader).
ENERGY_ROW_COLUMNS: dict[str, str] = {
    "source_format": "VARCHAR",  # eurostat_sdmx | eurostat_tsv | dg_ener_register | reference_facts
    "dataset": "VARCHAR",  # nrg_ti_oil | nrg_ti_gas | nrg_ti_sff | nrg_ti_coifpm | dg_ener_coir | a cited publication
    "reporter_code": "VARCHAR",  # importing country: Eurostat geo code (EL, UK, EU27_2020, EU_V, ...)
    "partner_code": "VARCHAR",  # origin: Eurostat partner code (ISO alpha-2 or aggregate); NULL where the
    #                             dataset has no partner dimension (nrg_ti_coifpm: the grade implies it)
    "partner_label": "VARCHAR",  # origin as the publisher wrote it, where the format gives a label (DG ENER)
    "product_code": "VARCHAR",  # SIEC code (O4100_TOT, G3000, ...), coifpm crudeoil code (KZ_CPC_BLN,
    #                             TOTAL), or the DG ENER register's type of crude as published
    "indicator_code": "VARCHAR",  # unit or indicator as published: THS_T, TJ_GCV, VOL_THS_BBL,
    #                               VAL_THS_USD, AVGPRC_USD_BBL, API_DEG, SULPH_PC, COMP_NR, PC_TOTAL_IMPORTS, SHARE_PC
    #                               (DG ENER's PC_TOTAL_IMPORTS is published as a fraction of the EU month: 0..1)
    "period_code": "VARCHAR",  # YYYY or YYYY-MM, as Eurostat writes TIME_PERIOD
    "period_start": "DATE",  # first day of the month, or 1 January for a year
    "period_freq": "VARCHAR",  # M | A
    "obs_value": "DOUBLE",  # NULL where not available or confidential: never a zero in its place
    "obs_flag": "VARCHAR",  # publisher's flag as written ('c' confidential, 'z' not applicable, 'b', 'p', 'e', ...);
    #                         ':' (not available) where no value is published and no flag says why
    "vintage": "VARCHAR",  # publisher's last-update stamp where the format carries one
    "source_url": "VARCHAR",  # the page a cited reference fact comes from (NULL for publisher data files)
    "source_line": "BIGINT",  # line in the file (header = 1)
}

ENERGY_IMPORTS = RawTable(
    name="energy_imports",
    columns=ENERGY_ROW_COLUMNS,
    key=("dataset", "reporter_code", "partner_code", "product_code", "indicator_code", "period_code"),
    not_null=("reporter_code", "product_code", "indicator_code", "period_start"),
    formats=("eurostat_sdmx", "eurostat_tsv", "dg_ener_register", "reference_facts"),
    publishers=("eurostat", "dg-ener"),
    datasets=("nrg_ti_oil", "nrg_ti_gas", "nrg_ti_sff", "nrg_ti_coifpm", "dg_ener_coir"),
)
