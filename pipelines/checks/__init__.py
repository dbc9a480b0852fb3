"""Expectation suites per raw table, the Great Expectations runner, and the Dagster adapter."""
