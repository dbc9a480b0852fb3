"""kzeu: the Kazakhstan-EU relationship warehouse (Dagster code location)."""
