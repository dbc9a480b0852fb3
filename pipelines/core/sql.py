"""SQL literals and identifiers built from file content: nothing from a file reaches SQL unescaped."""

from __future__ import annotations


def sql_string(value: object) -> str:
    """A SQL string literal (file names, labels)."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_list(values) -> str:
    return ", ".join(sql_string(v) for v in values)


def quoted(column: str) -> str:
    """A quoted identifier (a column name as written in a file's header)."""
    return '"' + column.replace('"', '""') + '"'


def row_count(con, relation: str) -> int:
    """count(*) of a table, view or parenthesised query. fetchall, not fetchone: DuckDB 2.0 keeps a
    connection busy while a result is left unfinished."""
    return con.execute(f"SELECT count(*) FROM {relation}").fetchall()[0][0]
