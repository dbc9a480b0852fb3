"""The Dagster UI as a user meets it, in Debian's chromium: started as `make ui` starts it (`kzeu ui`),
on a free loopback port, over a temporary copy of the raw snapshot, warehouse and DAGSTER_HOME.

One test walks the pages in the order a new user would (the build launched from the UI takes minutes,
and the raw asset's check result needs it): the asset groups and every domain's raw assets, a mart's
described columns, "Materialize all" on build_warehouse without a confirmation and the run page saying
it succeeded, the raw asset's expectation-suite check with that result, the schedules and the sensor.
Screenshots of each step are in the test's tmp folder (tmp_path/screenshots).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.domains import DOMAINS, raw_folders
from pipelines.settings import REPO_ROOT

pytestmark = pytest.mark.slow

STARTUP_TIMEOUT_S = 600  # dg dev loads the code location (dbt manifest, ~90 assets) on a busy machine
BUILD_TIMEOUT_S = 1800  # the whole build on two shared cores
GROUPS = {domain.name for domain in DOMAINS} | {"relationship", "downloads", "publish", "reference"}


def copy_raw_snapshot(raw_dir: Path) -> None:
    """The embedded raw snapshot of every domain folder (as tests/conftest.py copies it for the builds)."""
    for folder in raw_folders():
        (raw_dir / folder).mkdir(parents=True, exist_ok=True)
        for path in (REPO_ROOT / "raw" / folder).iterdir():
            if path.is_file():
                shutil.copy2(path, raw_dir / folder / path.name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def graphql(url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def location_status(url: str) -> str | None:
    """The code location's load status, or None while the webserver does not answer yet."""
    try:
        data = graphql(url, "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }")
    except OSError:
        return None
    entries = data["workspaceOrError"]["locationEntries"]
    return ",".join(f"{e['name']}:{e['loadStatus']}" for e in entries)


@pytest.fixture(scope="module")
def dagster_ui(tmp_path_factory, dbt_manifest):
    """`kzeu ui` on a free loopback port over temporary copies; stopped by its process id."""
    root = tmp_path_factory.mktemp("ui")
    copy_raw_snapshot(root / "raw")
    home = root / "dagster_home"
    home.mkdir()
    env = {
        **os.environ,
        "KZEU_RAW_DIR": str(root / "raw"),
        "KZEU_WAREHOUSE": str(root / "warehouse" / "kzeu.duckdb"),
        "DAGSTER_HOME": str(home),
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (root / "ui.log").open("w")
    kzeu = Path(sys.executable).parent / "kzeu"
    process = subprocess.Popen(
        [str(kzeu), "ui", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while (status := location_status(url)) != "kzeu:LOADED":
            assert process.poll() is None, (root / "ui.log").read_text()[-3000:]
            assert time.monotonic() < deadline, f"the UI did not load in {STARTUP_TIMEOUT_S} s: {status}"
            time.sleep(2)
        yield url, root
    finally:
        process.send_signal(signal.SIGTERM)  # dg dev stops its webserver, daemon and code server
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        log.close()


def open_page(recorded, url: str, ready_text: str):
    page = recorded.page
    page.goto(url)
    skip = page.get_by_role("button", name="Skip")  # "Join the Dagster community" on a first visit
    try:
        skip.wait_for(timeout=5000)
        skip.click()
    except Exception:  # the modal shows once per browser profile
        pass
    page.get_by_text(ready_text, exact=False).first.wait_for(timeout=120_000)
    return page


def listed_while_scrolling(page, expected: set[str], scrolls: int = 30) -> set[str]:
    """The lines of a virtualised list seen while scrolling it down, until every expected one was seen."""
    seen: set[str] = set()
    page.mouse.move(700, 600)
    for _ in range(scrolls):
        seen |= set(page.inner_text("body").splitlines())
        if expected <= seen:
            break
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(300)
    return seen


def latest_run(url: str) -> dict:
    data = graphql(url, "{ runsOrError(limit: 1) { ... on Runs { results { runId jobName status } } } }")
    runs = data["runsOrError"]["results"]
    return runs[0] if runs else {}


def test_a_new_user_walks_the_dagster_ui(dagster_ui, recorded_page):
    url, root = dagster_ui

    # the asset graph: every group, under the code location named kzeu
    page = open_page(recorded_page, f"{url}/asset-groups", "Global asset lineage")
    for group in GROUPS:
        page.get_by_text(group, exact=True).first.wait_for(timeout=60_000)
    recorded_page.screenshot("asset_graph")

    # every domain's raw assets, in its group's list (rows are rendered as they scroll into view)
    for domain in DOMAINS:
        page = open_page(recorded_page, f"{url}/locations/kzeu/asset-groups/{domain.name}/list", "Asset name")
        expected = {f"raw / {table.name}" for source in domain.sources for table in source.tables}
        assert listed_while_scrolling(page, expected) >= expected, domain.name
        page.mouse.wheel(0, -20_000)
        recorded_page.screenshot(f"group_{domain.name}")

    # a mart's columns carry dbt's descriptions and types
    page = open_page(recorded_page, f"{url}/assets/marts/fct_trade_balance_annual", "Columns")
    page.get_by_text("Cover ratio 100", exact=False).first.scroll_into_view_if_needed()
    recorded_page.screenshot("mart_columns")

    # "Materialize all" on build_warehouse starts the run at once: no upstream warning to confirm
    page = open_page(recorded_page, f"{url}/locations/kzeu/jobs/build_warehouse", "Materialize all")
    assert page.get_by_text("kzeu", exact=True).first.is_visible()  # the code location's name
    page.get_by_role("button", name="Materialize all").first.click()
    deadline = time.monotonic() + 120
    while not latest_run(url):
        assert not page.get_by_role("dialog").count(), page.get_by_role("dialog").first.inner_text()
        assert time.monotonic() < deadline, "no run started after Materialize all"
        time.sleep(1)
    run = latest_run(url)
    assert run["jobName"] == "build_warehouse"
    page = open_page(recorded_page, f"{url}/runs/{run['runId']}", "build_warehouse")
    recorded_page.screenshot("run_started")
    deadline = time.monotonic() + BUILD_TIMEOUT_S
    while (status := latest_run(url)["status"]) not in ("SUCCESS", "FAILURE", "CANCELED"):
        assert time.monotonic() < deadline, f"the build did not finish in {BUILD_TIMEOUT_S} s"
        time.sleep(5)
    assert status == "SUCCESS", (root / "ui.log").read_text()[-3000:]
    page.reload()
    page.get_by_text(re.compile(r"^Success$|Finished execution of run")).first.wait_for(timeout=60_000)
    with contextlib.suppress(Exception):  # the event log loads after the header; not what this step checks
        page.get_by_text("Loading run logs").first.wait_for(state="hidden", timeout=60_000)
    recorded_page.screenshot("run_success")
    assert (root / "warehouse" / "kzeu.duckdb").exists()

    # a raw asset's page: its expectation-suite check, with the latest result (the run's)
    page = open_page(recorded_page, f"{url}/assets/raw/trade_flows?view=checks", "raw_trade_flows_suite")
    page.get_by_text(re.compile(r"^(Passed|Succeeded)$")).first.wait_for(timeout=60_000)
    assert not page.get_by_text("Not evaluated", exact=True).count()
    recorded_page.screenshot("raw_asset_check")

    # the schedules and the sensor
    page = open_page(recorded_page, f"{url}/automation", "raw_files_changed")
    for name in ("eurostat_monthly", "gdelt_daily", "raw_files_changed"):
        page.get_by_text(name, exact=True).first.wait_for(timeout=60_000)
    recorded_page.screenshot("automation")
