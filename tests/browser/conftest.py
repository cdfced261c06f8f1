"""Fixtures for end-to-end tests in a real Chromium.

One Chromium per session, one fresh browser context (cookies, downloads,
request log) per test. The dashboard server is started once per session
against a temporary database, so that its first start ingests the bundled
sample exactly as a new user's would. Screenshots go to ``$BROWSER_SCREENSHOTS``
or ``tests/screenshots/`` (git-ignored); the path is printed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_harness import (  # noqa: E402
    FIRST_START_TIMEOUT_MS,
    MAP_CANVAS_SELECTOR,
    PROJECT_ROOT,
    RUN_TIMEOUT_MS,
    RequestRecorder,
    launch_chromium,
    run_streamlit,
    wait_for_app_idle,
    why_no_browser,
)

NO_BROWSER_REASON = why_no_browser()


_written: dict[str, Path] = {}


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = Path(os.environ.get("BROWSER_SCREENSHOTS") or PROJECT_ROOT / "tests" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    _written["screenshots"] = path
    return path


def pytest_terminal_summary(terminalreporter) -> None:
    """Say where the screenshots went, in the run's summary (not hidden by capture)."""
    for what, path in _written.items():
        terminalreporter.write_line(f"browser {what}: {path}")


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for the whole session."""
    if NO_BROWSER_REASON:
        pytest.skip(NO_BROWSER_REASON)
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    browser = launch_chromium(manager)
    try:
        yield browser
    finally:
        browser.close()
        manager.stop()


@pytest.fixture
def recorder() -> RequestRecorder:
    return RequestRecorder()


@pytest.fixture
def context(chromium, recorder):
    """A fresh context (own downloads, own request log) at a laptop-sized viewport."""
    ctx = chromium.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(RUN_TIMEOUT_MS)
    recorder.attach(ctx)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory):
    """``streamlit run app.py`` against an empty temporary database."""
    if NO_BROWSER_REASON:
        pytest.skip(NO_BROWSER_REASON)
    app = PROJECT_ROOT / "app.py"
    if not app.is_file():
        pytest.skip("app.py does not exist yet")
    root = tmp_path_factory.mktemp("dashboard")
    env = {"INCIDENTS_DB_PATH": str(root / "incidents.db")}
    with run_streamlit(
        app, env=env, log_path=root / "streamlit.log", health_timeout=FIRST_START_TIMEOUT_MS / 1000
    ) as server:
        _written["dashboard log"] = server.log_path
        yield server


@pytest.fixture(scope="module")
def ready(dashboard, chromium):
    """The dashboard once its first start is over (waited for once per test module that asks for it)."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(dashboard.url)
        page.wait_for_selector(MAP_CANVAS_SELECTOR, timeout=FIRST_START_TIMEOUT_MS)
        wait_for_app_idle(page, FIRST_START_TIMEOUT_MS)
    finally:
        context.close()
    return dashboard
