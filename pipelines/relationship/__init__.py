"""The relationship layer's statistical core: plain functions on pandas frames, no Dagster, dbt or DuckDB.

- `event_study`: segmented (interrupted time-series) regression around a diplomatic milestone, with a
  difference against a control series and the confounders in the window.
- `lead_lag`: cross-correlations and Granger tests between diplomatic activity and trade.
- `composite_index`: the annual relationship index (OECD/JRC Handbook 2008) and its sensitivity table.

Every regression and test statistic comes from statsmodels; every result carries its method, sample,
interval, p-value and a caveat. Mirror statistics stay in dbt SQL: one CASE expression needs no Python.
"""
