"""The browser app in a real browser: Debian's chromium driven by Playwright (no download)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="needs Debian's chromium (installed by .ci/run)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_url(tmp_path):
    """Serve sim/app.py with solara on a free loopback port; stop it afterwards."""
    port = free_port()
    with (tmp_path / "solara.log").open("w") as log:
        yield from serve(port, log)


def serve(port: int, log):
    """Start solara, wait for its port, yield the URL, then stop it."""
    proc = subprocess.Popen([sys.executable, "-m", "solara", "run", str(ROOT / "sim" / "app.py"),
                             "--host", "127.0.0.1", "--port", str(port), "--production"],
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                            env={**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("solara did not start within 120 s")
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(timeout=30)


def test_app_steps_the_model_and_updates_map_and_charts(app_url, tmp_path):
    """Load the page, step the model a few days: the map and the charts change; screenshot."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app_url, timeout=120_000)
        page.get_by_text("Step").first.wait_for(timeout=120_000)
        images = page.locator("img")
        images.first.wait_for(timeout=60_000)
        page.get_by_text("Step: 0").wait_for(timeout=60_000)
        before = images.evaluate_all("els => els.map(e => e.src)")
        for _ in range(3):
            page.get_by_role("button", name="Step").click()
            page.wait_for_timeout(1000)
        page.get_by_text("Step: 3").wait_for(timeout=60_000)
        page.wait_for_timeout(2000)
        after = images.evaluate_all("els => els.map(e => e.src)")
        assert before != after
        page.screenshot(path=str(tmp_path / "app.png"), full_page=True)
        if os.environ.get("SIM_SAVE_SCREENSHOT"):  # refresh the README's picture
            shutil.copy(tmp_path / "app.png", ROOT / "docs" / "app_screenshot.png")
        browser.close()
