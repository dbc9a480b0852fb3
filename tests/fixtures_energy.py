"""Small energy files in each publisher's exact shape, with REAL values from ../shared/data/energy.

- Eurostat TSV (nrg_ti_oil): the AT, BE, IS, UA, UK series of
  eurostat_nrg_ti_oil_crude_from_KZ_by_importer_annual_1990-2022.csv (lines 10, 12, 27, 47, 48;
  years 2019-2022; its 'NA' written back as Eurostat's ':'), as raw/derive_energy_snapshot.py does.
  Gas: the HR series of the gas extract (line 9), 2012-2014.
- Eurostat TSV (nrg_ti_coifpm): lines 17863-17864, 18294-18295 (TOTAL average CIF price, AT and BG,
  2019-11/12, with the real flags 'b', 'c' and 'bc') and 6758-6759 of the coifpm extract.
- Eurostat SDMX-CSV (nrg_ti_oil): the same AT / BE / IS figures of the oil extract as observations.
  The extract carries no LAST UPDATE stamp: the one written here is the coifpm extract's.
- Eurostat SDMX-CSV (nrg_ti_coifpm): lines 2, 1054, 3976, 4525, 4766, 5057, 6758, 17864, 18295
  and 32817 of eurostat_nrg_ti_coifpm_KZ_grades_and_TOTAL_monthly_2005-2024.csv, in the shared
  file's own shape (last_update, no DATAFLOW) and in Eurostat's (DATAFLOW, LAST UPDATE).
- DG ENER register: lines 1-3, 11, 27, 30, 181, 204, 17159 and 17180 of
  dg_ener_crude_oil_import_register_EU28_monthly_2013-2019.csv, unchanged.
- Reference facts: Euratom Supply Agency annual report 2022 figures as reported by NucNet
  (19 October 2023): Kazakhstan 26.82% and Niger 25.38% of natural uranium delivered to EU utilities;
  codes as in raw/energy/energy_reference_facts.csv.
"""

from __future__ import annotations

# --- Eurostat TSV ---------------------------------------------------------------------------
TSV_OIL_HEADER = "freq,siec,partner,unit,geo\\TIME_PERIOD\t2019 \t2020 \t2021 \t2022 "
TSV_OIL_ROWS = [
    "A,O4100_TOT,KZ,THS_T,AT\t3156.079 \t2892.756 \t2956.851 \t2142.702 ",
    "A,O4100_TOT,KZ,THS_T,BE\t1311.8 \t2377.5 \t3900.1 \t1803.1 ",
    "A,O4100_TOT,KZ,THS_T,IS\t0 \t0 \t0 \t: ",
    "A,O4100_TOT,KZ,THS_T,UA\t5 \t0 \t: \t: ",
    "A,O4100_TOT,KZ,THS_T,UK\t0 \t: \t: \t: ",
]
TSV_GAS = "freq,siec,partner,unit,geo\\TIME_PERIOD\t2012 \t2013 \t2014 \nA,G3000,KZ,TJ_GCV,HR\t0 \t6660 \t0 \n"

TSV_COIFPM_HEADER = "freq,crudeoil,indic_nrg,geo\\TIME_PERIOD\t2019-11 \t2019-12 "
TSV_COIFPM_ROWS = [
    "M,TOTAL,AVGPRC_USD_BBL,AT\t62.37 \t65.36 b",
    "M,TOTAL,AVGPRC_USD_BBL,BG\t: c\t: bc",
]
TSV_COIFPM_KEBCO_2022 = (
    "freq,crudeoil,indic_nrg,geo\\TIME_PERIOD\t2022-01 \t2022-02 \nM,KZ_KEBCO_BLN,VOL_THS_BBL,EU_V\t: c\t: c\n"
)


def tsv_oil(rows=None, header: str = TSV_OIL_HEADER) -> str:
    return "\n".join([header, *(TSV_OIL_ROWS if rows is None else rows)]) + "\n"


def tsv_coifpm(rows=None) -> str:
    return "\n".join([TSV_COIFPM_HEADER, *(TSV_COIFPM_ROWS if rows is None else rows)]) + "\n"


# --- Eurostat SDMX-CSV ----------------------------------------------------------------------
SDMX_OIL_HEADER = "DATAFLOW,LAST UPDATE,freq,siec,partner,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"
SDMX_OIL_ROWS = [
    "ESTAT:NRG_TI_OIL(1.0),28/02/24 11:00:00,A,O4100_TOT,KZ,THS_T,AT,2022,2142.702,",
    "ESTAT:NRG_TI_OIL(1.0),28/02/24 11:00:00,A,O4100_TOT,KZ,THS_T,BE,2022,1803.1,",
    "ESTAT:NRG_TI_OIL(1.0),28/02/24 11:00:00,A,O4100_TOT,KZ,THS_T,IS,2022,,",
    "ESTAT:NRG_TI_OIL(1.0),28/02/24 11:00:00,A,O4100_TOT,KZ,THS_T,AT,2021,2956.851,",
]
# labels=both: every coded cell is 'code:label' (labels as Eurostat publishes them).
SDMX_OIL_LABELLED_ROW = (
    "ESTAT:NRG_TI_OIL(1.0),28/02/24 11:00:00,A:Annual,"
    '"O4100_TOT:Crude oil, NGL, refinery feedstocks, additives and oxygenates and other hydrocarbons",'
    "KZ:Kazakhstan,THS_T:Thousand tonnes,AT:Austria,2022,2142.702,"
)


def sdmx_oil(rows=None, header: str = SDMX_OIL_HEADER) -> str:
    return "\n".join([header, *(SDMX_OIL_ROWS if rows is None else rows)]) + "\n"


COIFPM_SHARED_HEADER = "last_update,freq,crudeoil,indic_nrg,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"
COIFPM_SHARED_ROWS = [
    "28/02/24 11:00:00,M,KZ_CPC_BLN,API_DEG,AT,2020-01,46.9,",
    "28/02/24 11:00:00,M,KZ_CPC_BLN,AVGPRC_USD_BBL,EU_V,2022-01,82.317,",
    "28/02/24 11:00:00,M,KZ_CPC_BLN,VAL_THS_USD,EU_V,2022-01,2173409.207,",
    "28/02/24 11:00:00,M,KZ_CPC_BLN,VOL_THS_BBL,DE,2022-01,6055.0,",
    "28/02/24 11:00:00,M,KZ_CPC_BLN,VOL_THS_BBL,EU_V,2022-01,26403.048,",
    "28/02/24 11:00:00,M,KZ_CPC_BLN,VOL_THS_BBL,IT,2022-01,1488.0,",
    "28/02/24 11:00:00,M,KZ_KEBCO_BLN,VOL_THS_BBL,EU_V,2022-01,,c",
    "28/02/24 11:00:00,M,TOTAL,AVGPRC_USD_BBL,AT,2019-12,65.36,b",
    "28/02/24 11:00:00,M,TOTAL,AVGPRC_USD_BBL,BG,2019-12,,bc",
    "28/02/24 11:00:00,M,TOTAL,VOL_THS_BBL,EU_V,2022-01,293273.276,",
]
COIFPM_DATAFLOW = "ESTAT:NRG_TI_COIFPM(1.0)"


def coifpm_shared(rows=None) -> str:
    return "\n".join([COIFPM_SHARED_HEADER, *(COIFPM_SHARED_ROWS if rows is None else rows)]) + "\n"


def coifpm_sdmx(rows=None) -> str:
    """Eurostat's own SDMX-CSV: DATAFLOW first, 'LAST UPDATE' with a space."""
    header = "DATAFLOW,LAST UPDATE,freq,crudeoil,indic_nrg,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"
    body = [f"{COIFPM_DATAFLOW},{row}" for row in (COIFPM_SHARED_ROWS if rows is None else rows)]
    return "\n".join([header, *body]) + "\n"


# --- DG ENER crude oil import register ----------------------------------------------------------
REGISTER_HEADER = (
    "Reporting Country,Country of Origin,Type of crude oil,Volume (1000 bbl),Total Value ($ 1000),"
    "CIF price (2) ($/bbl),% of Total Imports,date"
)
REGISTER_ROWS = [
    "Austria,Azerbaijan,Azerbaijan Crude,123.07,13695.63,111.2832534330056,0.0003721451167227852,2013-01-31",
    "Austria,Kazakhstan,Kazakhstan Crude,1215.8700000000001,135759.28,111.65608165346623,0.003676607484112561,"
    "2013-01-31",
    "Belgium,Congo (DR),Congo (DR) Crude,316.97,35421.4,111.75000788718175,0.0009584694697945984,2013-01-31",
    "Belgium,United Kingdom,Forties,9.790000000000001,1122.23,114.6302349336057,2.9603483324255036e-05,2013-01-31",
    "Bulgaria,Kazakhstan,Kazakhstan Crude,603.969,,,0.001826311156268334,2013-01-31",
    "United Kingdom,Algeria,Saharan Blend,5059.0,574369.5,113.53419648151808,0.015297652925169174,2013-01-31",
    "Austria,Other FSU countries,Other FSU Crude,96.42,10753.91,111.53194358017008,0.00030958903487654055,2013-02-28",
    "Greece,Kazakhstan,Kazakhstan Crude,1403.0,90947.0,64.8232359230221,0.00422137070151256,2019-12-31",
    "Italy,Kazakhstan,Kazakhstan Crude,2370.0,154474.0,65.1789029535865,0.00713089705102264,2019-12-31",
]


def register(rows=None) -> str:
    return "\n".join([REGISTER_HEADER, *(REGISTER_ROWS if rows is None else rows)]) + "\n"


# --- Energy reference facts -----------------------------------------------------------------
FACTS_HEADER = (
    "fact_id,dataset,reporter_code,partner_code,product_code,indicator_code,period_code,obs_value,"
    "obs_flag,publisher,source_url,statement"
)
NUCNET_ESA_2022 = "https://www.nucnet.org/news/97-of-europe-s-natural-uranium-comes-from-overseas-but-russia-deliveries-fall-10-4-2023"
FACTS_ROWS = [
    f"esa_2022_u_kz,esa_annual_report,EU27_2020,KZ,uranium_natural,SHARE_PC,2022,26.82,,Euratom Supply Agency,"
    f'{NUCNET_ESA_2022},"Kazakhstan supplied 26.82% of natural uranium delivered to EU utilities in 2022"',
    f"esa_2022_u_ne,esa_annual_report,EU27_2020,NE,uranium_natural,SHARE_PC,2022,25.38,,Euratom Supply Agency,"
    f'{NUCNET_ESA_2022},"Niger supplied 25.38% of natural uranium delivered to EU utilities in 2022"',
]


def facts(rows=None) -> str:
    return "\n".join([FACTS_HEADER, *(FACTS_ROWS if rows is None else rows)]) + "\n"
