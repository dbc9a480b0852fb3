"""Run dbt-project-evaluator (vendored in ../shared/vendor) against dbt_project, offline.

Usage: .venv/bin/python tools/dbt_project_evaluator.py [--keep]

The evaluator is a checking tool, not part of the project, so it never enters dbt_project:
the project and the two vendored packages are copied to a temporary folder, the copy gets a
packages.yml, the evaluator's dispatch block and an on-run-end hook that prints its findings
as JSON, and `dbt build --select package:dbt_project_evaluator` runs there on an empty scratch
DuckDB file. The evaluator reads dbt's graph only (it builds its tables from the manifest, not
from the warehouse), so none of the project's own models is built. Nothing is written inside
the repository; the temporary folder is removed unless --keep is given.

Exit status: 0 when every finding is in ALLOWED below (each with its reason), 1 otherwise or
when dbt fails. When ../shared/vendor is absent it says so and exits 0.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENDOR = REPO.parent / "shared" / "vendor"
PACKAGES = ("dbt-project-evaluator", "dbt-utils")

# Our grain test (tests/generic/unique_combination.sql) counts as a primary-key test.
PRIMARY_KEY_TEST_MACROS = [
    ["dbt.test_unique", "dbt.test_not_null"],
    ["dbt_utils.test_unique_combination_of_columns"],
    ["kzeu.test_unique_combination"],
]

# Findings accepted on purpose: (evaluator model, {column: value} a finding row must match, reason).
# A finding not matched here fails the run.
CRUDE_FANOUT = (
    "three published marts at three grains (monthly rows by grade, Kazakh grades per year, concentration per "
    "year) read the one monthly crude table that reconciles the two registers; each is a contract"
)
EXTRA_EU_DENOMINATOR = (
    "the extra-EU denominator keeps its own grain (year) and its own test (assert_extra_eu27_sum_matches_published); "
    "the seed is a reference list both read for different things (partners left out, member states ranked)"
)
GERMAN_CRUDE_TOTALS = (
    "the per-origin mart reads Germany's all-origin crude totals and the published-unit flags (Partner = World, "
    "Partner2 = World rows of Comtrade) from staging: the consignment mart keeps no Partner = World row, and "
    "summing its origins would drop what Comtrade left unallocated"
)
MIRROR_MEMBERS = (
    "the mirror mart reads the member list itself to map the BNS's ISO codes (GR) and Comext's geo codes (EL) to "
    "one member code for its bns_vs_comext rows; its imf_dots rows take the long-run mart as built"
)
SIDE_BY_SIDE = (
    "fct_relationship_annual is the one wide mart that puts eight published marts side by side, each joined "
    "one-to-one on year (trade, crude and uranium shares, crude mass, diplomacy, Kazakhstan's own figures, FDI, "
    "critical raw materials); each figure is computed once in its own mart"
)
TRADE_KEY_PER_FILE = (
    "its key is the raw trade suite's, checked on each file as it lands and passed through unchanged "
    "(why it has no dbt grain test: the model's description in models/staging/trade/_trade__models.yml)"
)
ALLOWED: list[tuple[str, dict[str, str], str]] = [
    ("fct_missing_primary_key_tests", {"resource_name": "stg_trade__flows"}, TRADE_KEY_PER_FILE),
    ("fct_too_many_joins", {"resource_name": "fct_relationship_annual"}, SIDE_BY_SIDE),
    (
        "fct_rejoining_of_upstream_concepts",
        {"parent": "eu27_member_states", "child": "fct_trade_mirror_annual"},
        MIRROR_MEMBERS,
    ),
    ("fct_model_fanout", {"parent": "int_energy__crude_imports_monthly"}, CRUDE_FANOUT),
    (
        "fct_rejoining_of_upstream_concepts",
        {"parent": "stg_comtrade__flows", "child": "fct_energy_de_crude_imports_by_origin_annual"},
        GERMAN_CRUDE_TOTALS,
    ),
    (
        "fct_rejoining_of_upstream_concepts",
        {"parent": "eu27_member_states", "parent_and_child": "int_trade_extra_eu27_exports_annual"},
        EXTRA_EU_DENOMINATOR,
    ),
]

# The vendored copy keeps macros/, models/ and seeds/ only, so it lacks the package's generic
# test `is_empty` (upstream tests/generic/), which all its rules use: the copy gets this one.
# Severity warn, as upstream: a finding is a warning, and this script decides what it allows.
IS_EMPTY_TEST = """{% test is_empty(model) %}
{{ config(severity='warn') }}
select * from {{ model }}
{% endtest %}
"""

DISPATCH = """
# added by tools/dbt_project_evaluator.py (temporary copy only)
dispatch:
  - macro_namespace: dbt
    search_order: ['dbt_project_evaluator', 'dbt']
on-run-end:
  - "{{ dbt_project_evaluator.print_dbt_project_evaluator_issues(format='json') }}"
"""


def copy_tree(src: Path, dst: Path) -> None:
    """Copy without build leftovers; the copies are made writable (the vendor folder is read-only)."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml"))
    for root, dirs, files in os.walk(dst):
        for name in (*dirs, *files):
            path = Path(root, name)
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    dst.chmod(dst.stat().st_mode | stat.S_IWUSR)


def prepare(tmp: Path) -> Path:
    """tmp/kzeu/dbt_project with copies of the vendored packages in tmp/shared/vendor."""
    project = tmp / "kzeu" / "dbt_project"
    copy_tree(REPO / "dbt_project", project)
    for name in PACKAGES:
        copy_tree(VENDOR / name, tmp / "shared" / "vendor" / name)
    evaluator, utils = (tmp / "shared" / "vendor" / name for name in PACKAGES)
    if not any("test is_empty" in path.read_text() for path in evaluator.rglob("*.sql")):
        (evaluator / "tests" / "generic").mkdir(parents=True, exist_ok=True)
        (evaluator / "tests" / "generic" / "is_empty.sql").write_text(IS_EMPTY_TEST)
    # The evaluator's packages.yml points at ../../shared/vendor/dbt-utils, a path dbt resolves from the
    # root project: written out absolute, the copy's dependency cannot depend on where the copy sits.
    (evaluator / "packages.yml").write_text(f"packages:\n  - local: {utils}\n")
    (project / "packages.yml").write_text(f"packages:\n  - local: {evaluator}\n")
    with open(project / "dbt_project.yml", "a", encoding="utf-8") as handle:
        handle.write(DISPATCH)
    return project


def dbt(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).parent / "dbt"
    command = [str(executable), "--no-use-colors", *args, "--profiles-dir", str(project), "--project-dir", str(project)]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)


def findings_from_output(stdout: str) -> dict[str, list[dict]]:
    """The on-run-end hook prints one JSON array, [{test_name, results: [rows]}], on a log line."""
    for line in stdout.splitlines():
        start = line.find('[{"test_name"')
        if start >= 0:
            return {item["test_name"]: item["results"] for item in json.loads(line[start:])}
    return {}


def is_allowed(model: str, row: dict) -> str | None:
    for allowed_model, match, reason in ALLOWED:
        if allowed_model == model and all(str(row.get(k)) == v for k, v in match.items()):
            return reason
    return None


def report(project: Path, results: list[dict], stdout: str) -> int:
    """Print each warned check with its findings; return how many findings are not allowed."""
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    findings = findings_from_output(stdout)
    checks = [r for r in results if r["unique_id"].startswith("test.")]
    warned = [r for r in checks if r["status"] == "warn"]
    unexplained = 0
    for result in warned:
        test = result["unique_id"].split(".")[2]  # test.<package>.<name>.<hash>
        model = manifest["nodes"][result["unique_id"]]["depends_on"]["nodes"][0].split(".")[-1]
        rows = next((rows for name, rows in findings.items() if name.endswith("." + test)), [])
        print(f"WARN {test} on {model}: {len(rows)} finding(s)")
        for row in rows or [{}]:
            reason = is_allowed(model, row)
            unexplained += reason is None
            shown = ", ".join(f"{k}={v}" for k, v in row.items() if v not in (None, ""))
            print(
                f"  {'allowed' if reason else 'NOT ALLOWED'}: {shown}" + (f"\n    because {reason}" if reason else "")
            )
    print(
        f"dbt-project-evaluator: {len(checks)} checks, {len(checks) - len(warned)} passed, "
        f"{len(warned)} warned, {unexplained} finding(s) not in the allow-list"
    )
    return unexplained


def main(argv: list[str]) -> int:
    if not (VENDOR / "dbt-project-evaluator").is_dir() or not (VENDOR / "dbt-utils").is_dir():
        print(f"dbt-project-evaluator skipped: {VENDOR} has no dbt-project-evaluator and dbt-utils")
        return 0
    keep = "--keep" in argv
    tmp = Path(tempfile.mkdtemp(prefix="kzeu-dbt-project-evaluator-"))
    try:
        project = prepare(tmp)
        env = {
            **os.environ,
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
            "KZEU_BUILD_WAREHOUSE": str(tmp / "evaluator.duckdb"),  # read by profiles.yml: an empty scratch file
        }
        deps = dbt(project, env, "deps")
        if deps.returncode != 0:
            print(deps.stdout[-3000:], deps.stderr[-3000:], sep="\n")
            print("dbt-project-evaluator: dbt deps failed")
            return 1
        variables = json.dumps({"primary_key_test_macros": PRIMARY_KEY_TEST_MACROS})
        build = dbt(project, env, "build", "--select", "package:dbt_project_evaluator", "--vars", variables)
        run_results = project / "target" / "run_results.json"
        results = json.loads(run_results.read_text())["results"] if run_results.exists() else []
        if build.returncode != 0:
            print(build.stdout[-5000:], build.stderr[-3000:], sep="\n")
            failed = [r["unique_id"] for r in results if r["status"] in ("error", "fail")]
            print(f"dbt-project-evaluator: dbt build failed ({', '.join(failed) or 'see above'})")
            return 1
        return 1 if report(project, results, build.stdout) else 0
    finally:
        if keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
