"""What the UI's catalogue shows beside each asset: owners, tags, links to the code, and a sentence
per dbt test. Pure functions over the registry and dbt's manifest; the assets only attach them.

Tags: `domain` (the asset group), `layer` (raw, staging, intermediate, marts) and, on raw tables,
one `publisher/<name>` and one `dataset/<code>` tag per publisher and dataset (a folder may hold
several publishers' files), so that the catalogue filters by any of them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import dagster as dg

from pipelines.core.tables import RawTable
from pipelines.settings import REPO_ROOT

# The team that answers for the warehouse (Dagster owners are emails or team:<name>).
OWNERS = ["team:kzeu-data"]
TAG_VALUE = re.compile(r"[^A-Za-z0-9_.-]+")


def tag_part(text: str) -> str:
    """A tag key segment or value: letters, digits, '-', '_', '.', at most 63 characters."""
    return TAG_VALUE.sub("-", text).strip("-")[:63]


def raw_tags(domain: str, table: RawTable) -> dict[str, str]:
    tags = {"domain": tag_part(domain), "layer": "raw"}
    tags |= {f"publisher/{tag_part(p)}": "" for p in table.publishers}
    tags |= {f"dataset/{tag_part(d)}": "" for d in table.datasets}
    return tags


def dbt_tags(resource_props: Mapping) -> dict[str, str]:
    """Models: their domain (the folder under the layer) and layer; seeds: layer reference."""
    fqn = resource_props.get("fqn", [])
    if resource_props.get("resource_type") == "model" and len(fqn) > 3:
        return {"domain": tag_part(fqn[2]), "layer": tag_part(fqn[1])}
    return {"layer": "reference"} if resource_props.get("resource_type") == "seed" else {}


def line_of(path: Path, text: str) -> int | None:
    """The first line of `path` holding `text` (1-based), where it occurs."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    return None


def code_references(files: Iterable[tuple[Path, str, str | None]]) -> dg.CodeReferencesMetadataValue:
    """(file, label, text to find) -> links to the files (at that line where found) in the UI."""
    references = []
    with warnings.catch_warnings():  # code references are a beta API of Dagster: no warning per asset
        warnings.filterwarnings("ignore", message=".*currently in beta")
        for path, label, anchor in files:
            if path.exists():
                line = line_of(path, anchor) if anchor else None
                references.append(dg.LocalFileCodeReference(file_path=str(path), line_number=line, label=label))
        return dg.CodeReferencesMetadataValue(code_references=references)


def raw_code_references(domain: str, table: RawTable) -> dict[str, dg.CodeReferencesMetadataValue]:
    """The domain's registry entry, the table's schema and its suite."""
    package = REPO_ROOT / "pipelines" / "domains" / domain
    files = [
        (package / "__init__.py", f"{domain} domain: raw folder, readers, suites", None),
        (package / "schema.py", f"raw.{table.name}: columns and key", f'name="{table.name}"'),
        (package / "suite.py", f"{domain} expectation suites", None),
        (REPO_ROOT / "pipelines" / "core" / "landing.py", "landing (idempotent by sha256)", None),
    ]
    return {"dagster/code_references": code_references(files)}


# --- dbt tests ---------------------------------------------------------------------------------


def _values(values) -> str:
    return ", ".join(str(v) for v in values)


def generic_test_sentence(name: str, kwargs: Mapping) -> str:
    """One sentence per generic dbt test, from its name and arguments."""
    column = kwargs.get("column_name")
    if name == "not_null":
        return f"{column} is never NULL."
    if name == "unique":
        return f"{column} is unique: no value occurs twice."
    if name == "accepted_values":
        return f"{column} takes only the values {_values(kwargs.get('values', []))}."
    if name == "relationships":
        target = re.sub(r"^ref\(['\"](.+)['\"]\)$", r"\1", str(kwargs.get("to", "")))
        return f"Every {column} is found in {target}.{kwargs.get('field')}."
    if name == "unique_combination":
        return f"One row per {_values(kwargs.get('columns', []))}."
    if name == "between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        bounds = " and ".join(
            b for b in (f"≥ {low}" if low is not None else "", f"≤ {high}" if high is not None else "") if b
        )
        return f"{column} is {bounds} wherever it is not NULL."
    arguments = {k: v for k, v in kwargs.items() if k != "model"}
    return f"dbt test {name}" + (f" ({_values(f'{k}={v}' for k, v in arguments.items())})" if arguments else "") + "."


def leading_comment(sql: str) -> str:
    """The `--` comment lines a singular test opens with (after any Jinja config block), as one paragraph."""
    body = re.sub(r"^\s*\{\{.*?\)\s*\}\}\s*", "", sql, flags=re.DOTALL)
    lines = []
    for line in body.splitlines():
        if not line.strip().startswith("--"):
            break
        lines.append(line.strip()[2:].strip())
    return " ".join(lines)


def dbt_test_description(test_props: Mapping) -> str:
    """What a dbt test guards, and what its failure does (error: blocks downstream; warn: reports)."""
    given = (test_props.get("description") or "").strip() or test_props.get("meta", {}).get("description", "")
    metadata = test_props.get("test_metadata")
    if given:
        sentence = given
    elif metadata:
        sentence = generic_test_sentence(metadata["name"], metadata.get("kwargs", {}))
    else:
        sentence = (
            leading_comment(test_props.get("raw_code", ""))
            or f"Singular test {test_props['name']}: no row may be returned."
        )
    severity = str(test_props.get("config", {}).get("severity", "error")).lower()
    effect = "failing it stops the publish" if severity == "error" else "a failure is reported, the build goes on"
    return f"{sentence} (dbt {'generic' if metadata else 'singular'} test, severity {severity}: {effect})"
