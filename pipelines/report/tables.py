"""The report's tables as plain rows (rendered by the Jinja2 template): the summary of the latest year,
the data-quality status from the audit schema, and the provenance of a figure's raw rows."""

from __future__ import annotations

from pipelines.report import format as fmt
from pipelines.report.figures import Source, frame

RELATIONSHIP_SOURCES = (
    Source("trade_flows", "dataset = 'DS-045409'"),
    Source("energy_imports", "dataset IN ('dg_ener_coir', 'nrg_ti_coifpm', 'esa_annual_report')"),
    Source("event_catalogue"),
)


def _latest(con, column: str, table: str = "marts.fct_relationship_annual", where: str = "partner_code = 'KZ'"):
    row = con.execute(
        f"SELECT year, {column} FROM {table} WHERE {where} AND {column} IS NOT NULL ORDER BY year DESC LIMIT 1"
    ).fetchone()
    return (None, None) if row is None else row


def has_table(con, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, table]
        ).fetchone()[0]
    )


def summary(con) -> list[dict]:
    """One row per headline metric, each at the latest year it is published (years differ by source)."""
    rows = []
    year, value = _latest(con, "eu27_turnover_eur")
    rows.append(
        _row("EU27–Kazakhstan trade turnover (exports + imports)", fmt.money(value), year, "Eurostat Comext DS-045409")
    )
    if year is not None:
        balance = con.execute(
            "SELECT eu27_balance_eur FROM marts.fct_relationship_annual WHERE partner_code = 'KZ' AND year = ?", [year]
        ).fetchone()[0]
        rows.append(
            _row("EU27 trade balance with Kazakhstan (X − M)", fmt.money(balance), year, "Eurostat Comext DS-045409")
        )
    crude = con.execute(
        "SELECT year, share, share_is_lower_bound, source_dataset FROM marts.fct_energy_supplier_share_annual "
        "WHERE reporter_code = 'EU' AND product_code = 'crude_oil' AND supplier_code = 'KZ' AND basis = 'volume' "
        "AND share IS NOT NULL ORDER BY year DESC LIMIT 1"
    ).fetchone()
    if crude:
        text = ("≥ " if crude[2] else "") + fmt.percent(crude[1])
        rows.append(_row("Kazakhstan's share of EU crude imports (volume)", text, crude[0], crude[3]))
    year, value = _latest(con, "kz_share_of_eu_natural_uranium")
    rows.append(
        _row(
            "Kazakhstan's share of natural uranium delivered to EU utilities",
            fmt.percent(value, 2),
            year,
            "Euratom Supply Agency (cited)",
        )
    )
    index_row = (
        _latest(con, "index_value", "marts.fct_relationship_index_annual", "is_reference")
        if has_table(con, "marts", "fct_relationship_index_annual")
        else None
    )
    if index_row is not None and index_row[0] is not None:
        rows.append(
            _row(
                "Relationship index (min-max, equal weights, 0–1)",
                fmt.number(index_row[1], 2),
                index_row[0],
                "marts.fct_relationship_index_annual",
            )
        )
    else:
        rows.append(
            _row("Relationship index", fmt.DASH, None, "not in this warehouse (marts.fct_relationship_index_annual)")
        )
    year, value = _latest(con, "catalogue_events", where="partner_code = 'KZ' AND catalogue_events > 0")
    rows.append(
        _row("EU–Kazakhstan diplomatic events (catalogue)", fmt.number(value), year, "the project's event catalogue")
    )
    return rows


def _row(metric: str, value: str, year, source: str) -> dict:
    return {"metric": metric, "value": value, "year": fmt.DASH if year is None else str(year), "source": source}


def validations(con) -> list[dict]:
    """The latest run of each expectation suite (no run times: they differ between two builds)."""
    df = frame(
        con,
        """
        SELECT suite, table_name, success, evaluated, failed FROM audit.validation_results
        QUALIFY row_number() OVER (PARTITION BY suite ORDER BY run_at DESC) = 1
        ORDER BY suite
        """,
    )
    return [
        {
            "suite": r.suite,
            "table": r.table_name,
            "status": "passed" if r.success else "FAILED",
            "passed": f"{r.evaluated - r.failed:,} / {r.evaluated:,}",
        }
        for r in df.itertuples()
    ]


def loads(con) -> list[dict]:
    """Rows landed per raw table: each file's last real load ('unchanged' loads read nothing)."""
    df = frame(
        con,
        """
        WITH per_file AS (
            SELECT raw_table, file, status, rows_rejected,
                   last_value(CASE WHEN status = 'loaded' THEN rows_kept END IGNORE NULLS) OVER (
                       PARTITION BY file ORDER BY loaded_at ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                   ) AS rows_held
            FROM audit.load_log
            QUALIFY row_number() OVER (PARTITION BY file ORDER BY loaded_at DESC) = 1
        )
        SELECT raw_table, count(*) AS files, sum(rows_held) AS rows_held,
               count(*) FILTER (status = 'rejected') AS files_rejected
        FROM per_file GROUP BY raw_table ORDER BY raw_table
        """,
    )
    return [
        {
            "table": r.raw_table,
            "files": f"{r.files:,}",
            "rows": fmt.number(r.rows_held),
            "rejected": f"{r.files_rejected:,}",
        }
        for r in df.itertuples()
    ]


def built_at(con):
    """When the published warehouse was built: its last load or validation."""
    return con.execute(
        "SELECT greatest((SELECT max(loaded_at) FROM audit.load_log), (SELECT "
        "max(run_at) FROM audit.validation_results))"
    ).fetchone()[0]


def provenance(con, sources: tuple[Source, ...]) -> list[dict]:
    """Dataset code, file, sha256 prefix, rows (and the publisher's vintage where the file states one)."""
    rows = []
    for source in sources:
        if not has_table(con, "raw", source.table):
            continue
        columns = {
            c[0]
            for c in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ?", [source.table]
            ).fetchall()
        }
        code = "dataset" if "dataset" in columns else "source_format"
        vintage = (
            "max(vintage)" if "vintage" in columns else "max(vintage_year)" if "vintage_year" in columns else "NULL"
        )
        df = frame(
            con,
            f"""
            SELECT {code} AS dataset, _source_file AS file, left(_source_sha256, 12) AS sha256, count(*) AS rows,
                   CAST({vintage} AS VARCHAR) AS vintage
            FROM raw.{source.table} WHERE {source.where} GROUP BY ALL ORDER BY file
            """,
        )
        rows += [
            {
                "table": f"raw.{source.table}",
                "dataset": r.dataset,
                "file": r.file,
                "sha256": r.sha256,
                "rows": f"{r.rows:,}",
                "vintage": r.vintage or fmt.DASH,
            }
            for r in df.itertuples()
        ]
    return rows
