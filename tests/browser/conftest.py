"""Playwright for Python driving Debian's chromium (never a browser download): one headless browser per
test session, a fresh context per test, console errors collected, screenshots into the test's tmp folder.

`.ci/run` and `make browser` install Debian's `chromium` where it is missing; without it these tests skip
with the reason. The flags are the ones this machine needs: no sandbox as root, no GPU, and no background
networking (its closed network refuses Chromium's own connections to Google's hosts).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("KZEU_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (`make browser` or `.ci/run` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class PageRecorder:
    """A page with its console errors and page errors kept, and numbered screenshots in one folder."""

    def __init__(self, page, folder: Path):
        self.page = page
        self.folder = folder
        self.errors: list[str] = []
        self._shots = 0
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def screenshot(self, name: str, **options) -> Path:
        self._shots += 1
        path = self.folder / f"{self._shots:02d}_{name}.png"
        self.page.screenshot(path=str(path), **options)
        return path


@pytest.fixture
def recorded_page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    folder = tmp_path / "screenshots"
    folder.mkdir()
    yield PageRecorder(page, folder)
    context.close()
