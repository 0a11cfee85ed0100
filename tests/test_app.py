"""The browser app: its feed, capitals and compare mode in-process, then the page itself in a
real browser (Debian's chromium driven by Playwright, no download)."""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sim.config import as_dict

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="needs Debian's chromium (installed by .ci/run)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DATE_TICK = re.compile(r"^\d\d (May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$")


@pytest.fixture
def app():
    """The app module (imported here: warnings are errors, so its import is quiet)."""
    import sim.app

    return sim.app


def stepped(app, days: int, **levers):
    """An app model with the given levers, stepped ``days`` days."""
    model = app.Arms(**levers)
    for _ in range(days):
        model.step()
    return model


def test_feed_lists_latest_changes_of_hands_by_name(app):
    """The feed holds the latest changes of hands, newest first, each with its date, district,
    province and cause, at most FEED_LENGTH of them."""
    model = stepped(app, 30).lead
    changes = [e for e in model.events if e[2] in ("fell", "retaken")]
    feed = app.changes_of_hands(model)
    assert changes and len(feed) == min(len(changes), app.FEED_LENGTH)
    for line, (day, district, event, cause, *_) in zip(feed, reversed(changes), strict=False):
        date = f"{model.date.fromordinal(model.start.toordinal() + day):%d %b}"
        assert line.startswith(date)
        assert f"{model.map.name[district]} ({model.map.province[district]})" in line
        assert (cause in line) if event == "fell" else ("retaken" in line)


def test_capitals_held_are_the_capitals_not_taliban_held(app):
    """Held plus lost is every provincial capital, and lost equals the daily capitals count."""
    model = stepped(app, 60, space="synthetic").lead
    held, lost = app.capitals_held(model)
    assert len(held) + len(lost) == int(model.map.is_capital.sum())
    daily = model.datacollector.get_model_vars_dataframe()
    assert len(lost) == daily["capitals_taliban"].iloc[-1]


def test_compare_mode_runs_two_arms_on_one_seed_differing_by_one_lever(app):
    """Compare mode holds two arms on the same seed whose configs differ in air power only,
    stepped together; without it there is one arm."""
    assert len(app.Arms().arms) == 1
    model = stepped(app, 5, seed=3, compare="no air power")
    a, b = model.arms.values()
    assert a.config.seed == b.config.seed == 3 and a.day == b.day == 5
    first, second = as_dict(a.config), as_dict(b.config)
    assert [k for k in first if first[k] != second[k]] == ["air"]
    assert first["air"]["use_aaf"] and not second["air"]["use_aaf"]


def test_play_stops_at_the_end_of_the_run(app):
    """The app model stops running once the run's last day is reached."""
    model = app.Arms(space="synthetic")
    for _ in range(model.lead.config.days - 1):
        model.step()
    assert model.running
    model.step()
    assert not model.running


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
                             "--host", "127.0.0.1", "--port", str(port), "--production",
                             "--no-check-version"],
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


def test_the_app_console_is_quiet(app, tmp_path, caplog):
    """Serving the app logs no warning (Mesa's hook-checker warning and solara's missing-cookie
    warning are silenced, the version check is off), and the cookie filter drops only that one."""
    port = free_port()
    with (tmp_path / "solara.log").open("w") as log:
        for url in serve(port, log):
            with urllib.request.urlopen(url, timeout=60) as page:
                assert page.status == 200
    console = (tmp_path / "solara.log").read_text()
    assert not re.search(r"warning|new version", console, re.I), console
    logger = logging.getLogger("solara.server.starlette")
    with caplog.at_level(logging.WARNING, logger="solara.server.starlette"):
        logger.warning("no session cookie")
        logger.warning("something else")
    assert [r.getMessage() for r in caplog.records] == ["something else"]


def chart_texts(page, scope: str = "") -> list[str]:
    """The text elements of the inline SVG charts (tick labels, axis labels, legends)."""
    return page.locator(f"{scope} .chart svg text").all_text_contents()


def step(page, to_day: int) -> None:
    """Press Step once and wait until the page shows ``to_day``."""
    page.get_by_role("button", name="Step").click()
    page.get_by_text(re.compile(rf"· day {to_day} of ")).first.wait_for(timeout=60_000)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select labelled ``label`` (a Vuetify menu)."""
    page.locator(".v-select", has_text=label).click()
    page.get_by_role("option", name=option).click()


@needs_chromium
def test_app_shows_dates_feed_capitals_and_compare_mode(app_url, app, tmp_path):
    """In the browser: day 0 is drawn on a dated axis over the whole run with readable legends,
    no "Page 0" tab, help for the run controls; stepping fills the feed with the same changes of
    hands an identical in-process run makes, and the capitals count; compare mode shows two arms
    side by side, each with its map and dated charts; nothing is fetched from outside the app's
    own server. Screenshots the page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        fetched = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(app_url, timeout=120_000)
        page.get_by_text(re.compile(r"· day 0 of 120")).wait_for(timeout=120_000)
        page.locator(".chart svg").first.wait_for(timeout=60_000)

        texts = chart_texts(page)
        ticks = [t for t in texts if DATE_TICK.match(t)]
        assert {"01 May", "15 Aug"} <= set(ticks)  # the whole run's span, from day 0
        assert "Step" not in texts and not any("_" in t for t in texts)
        assert {"Taliban-held", "Government-held", "Taliban fighters"} <= set(texts)
        assert page.get_by_text(re.compile("page 0", re.I)).count() == 0
        assert page.get_by_text("Days per step").count() >= 1
        assert page.get_by_text("Use Threads").count() == 0

        day = 0
        while page.locator(".feed li").count() == 0 and day < 40:
            day += 1
            step(page, day)
        feed = [t.strip() for t in page.locator(".feed li").all_inner_texts()]
        same = stepped(app, day)
        assert feed == app.changes_of_hands(same.lead)
        held, lost = app.capitals_held(same.lead)
        page.get_by_text(f"Provincial capitals still held: {len(held)} of {len(held) + len(lost)}"
                         ).wait_for(timeout=10_000)
        page.screenshot(path=str(tmp_path / "app.png"), full_page=True)

        choose(page, "Compare side by side with", "no air power")
        page.get_by_role("button", name="Reset").click()
        page.get_by_text("B · no air power").wait_for(timeout=60_000)
        for d in (1, 2, 3):
            step(page, d)
        arms = page.locator(".arm")
        assert arms.count() == 2
        a, b = (arms.nth(i).bounding_box() for i in (0, 1))
        assert b["x"] >= a["x"] + 0.9 * a["width"] and abs(a["y"] - b["y"]) < 5
        for i, air in enumerate(("air historical", "air none")):
            arm = arms.nth(i)
            assert arm.get_by_text(air).count() == 1
            assert arm.locator(".map img").count() == 1
            assert "01 May" in arm.locator(".chart svg text").all_text_contents()
        slider = page.locator(".v-input", has_text="Days per step").get_by_role("slider")
        slider.focus()
        slider.press("End")
        page.get_by_text("Days per step: 30").wait_for(timeout=10_000)
        step(page, 33)
        step(page, 63)
        page.set_viewport_size({"width": 1400, "height": 1750})  # the whole page, unscrolled
        page.wait_for_timeout(1000)
        page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
        assert [u for u in fetched if not u.startswith((app_url, "data:", "blob:"))] == []
        if os.environ.get("SIM_SAVE_SCREENSHOT"):  # refresh the README's picture
            shutil.copy(tmp_path / "compare.png", ROOT / "docs" / "app_screenshot.png")
        browser.close()
