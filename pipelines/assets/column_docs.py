"""Column schemas for the UI: each raw table's columns with their DuckDB types and a description.

A raw column's description is written once, where the column is defined: the comment beside it in
pipelines/domains/<domain>/schema.py. Where a column has no comment there, the dbt project describes
it (the lineage columns in the sources YAML, the other columns in the staging models that select
them), and that description is used.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import json
import tokenize
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import dagster as dg

from pipelines.core.landing import LINEAGE_COLUMNS
from pipelines.core.tables import RawTable


def commented_dict_keys(source: str) -> dict[str, dict[str, str]]:
    """{dict variable: {key: its comment}} for the dict literals assigned at module level; a comment
    continued on the comment-only lines below a key belongs to that key."""
    comments: dict[int, str] = {}
    comment_only_lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string.lstrip("#").strip()
            if not token.line[: token.start[1]].strip():
                comment_only_lines.add(token.start[0])
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(source).body:
        target = (
            node.target
            if isinstance(node, ast.AnnAssign)
            else (node.targets[0] if isinstance(node, ast.Assign) else None)
        )
        if not isinstance(target, ast.Name) or not isinstance(node.value, ast.Dict):
            continue
        keyed: dict[str, str] = {}
        for key in node.value.keys:
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            line, parts = key.lineno, []
            if line in comments and line not in comment_only_lines:
                parts.append(comments[line])
                line += 1
                while line in comment_only_lines:
                    parts.append(comments[line])
                    line += 1
            keyed[key.value] = " ".join(parts)
        found[target.id] = keyed
    return found


@cache
def schema_module_comments(module_name: str) -> dict[str, dict[str, str]]:
    return commented_dict_keys(inspect.getsource(importlib.import_module(module_name)))


def table_comments(table: RawTable, module_name: str) -> dict[str, str]:
    """The comments beside `table`'s columns in its schema module (the dict holding most of them)."""
    dicts = schema_module_comments(module_name).values()
    best = max(dicts, key=lambda keyed: len(keyed.keys() & table.columns.keys()), default={})
    return {name: text for name, text in best.items() if name in table.columns and text}


def dbt_column_descriptions(manifest: Mapping, table: str) -> dict[str, str]:
    """Descriptions dbt holds for raw.<table>'s columns: the source's own, then its staging models'."""
    described: dict[str, str] = {}
    sources = [s for s in manifest.get("sources", {}).values() if s["schema"] == "raw" and s["name"] == table]
    for source in sources:
        described |= {n: c["description"] for n, c in source["columns"].items() if c.get("description")}
        for child in manifest.get("child_map", {}).get(source["unique_id"], []):
            node = manifest["nodes"].get(child, {})
            if node.get("resource_type") != "model":
                continue
            for name, column in node.get("columns", {}).items():
                if column.get("description"):
                    described.setdefault(name, column["description"])
    return described


@cache
def load_manifest(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


# Columns every reader writes, where a schema module leaves them without a comment.
SHARED_COLUMNS = {
    "source_format": "The reader (publisher format) that landed the row.",
    "source_line": "Line of the row in its file, where the reader can tell it; NULL otherwise.",
}
LINEAGE_DOCS = {"_source_file": "raw_source_file", "_source_sha256": "raw_source_sha256", "_loaded_at": "raw_loaded_at"}


def lineage_descriptions(manifest: Mapping) -> dict[str, str]:
    """The lineage columns' descriptions from the dbt docs blocks that define them."""
    docs = manifest.get("docs", {})
    return {
        column: docs[f"doc.kzeu.{block}"]["block_contents"].strip()
        for column, block in LINEAGE_DOCS.items()
        if f"doc.kzeu.{block}" in docs
    }


def raw_column_schema(table: RawTable, module_name: str, manifest: Mapping) -> dg.TableSchema:
    """Every column of raw.<table> as landed (the reader's columns, then the lineage columns)."""
    comments = table_comments(table, module_name)
    from_dbt = SHARED_COLUMNS | lineage_descriptions(manifest) | dbt_column_descriptions(manifest, table.name)
    columns = {**table.columns, **LINEAGE_COLUMNS}
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=name,
                type=kind,
                description=comments.get(name) or from_dbt.get(name),
                constraints=dg.TableColumnConstraints(nullable=name not in table.not_null),
            )
            for name, kind in columns.items()
        ]
    )
