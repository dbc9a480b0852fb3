"""Readers, one module per publisher format: pure functions over DuckDB, no Dagster."""
