"""The dbt seeds, read from Python through one cached loader: a code list is defined once, in its seed."""

from __future__ import annotations

import csv
from functools import cache

from pipelines.settings import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


@cache
def read_seed(name: str) -> tuple[dict[str, str], ...]:
    """The rows of dbt_project/seeds/<name>.csv, as written (every value a string)."""
    with open(SEEDS_DIR / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))
