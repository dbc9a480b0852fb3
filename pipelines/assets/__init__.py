"""Thin Dagster assets per domain: they wire the pure readers and dbt, nothing more."""
