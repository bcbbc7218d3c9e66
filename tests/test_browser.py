"""The search page in a real browser: Debian's headless Chromium, driven by Selenium through its chromedriver,
against the app served by uvicorn on loopback. Search, filter, ask, follow a citation; screenshots are kept in
`test-artifacts/`."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from api.app import create_app

from .conftest import ROOT

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
ARTIFACTS = ROOT / "test-artifacts"
MISSING = "Debian's chromium and chromium-driver are absent (`make test` installs them where it may)"
if not (CHROMIUM and CHROMEDRIVER) and os.environ.get("PAPERS_REQUIRE_BROWSER"):
    pytest.fail(MISSING, pytrace=False)
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason=MISSING)


@pytest.fixture(scope="module")
def site(sample_home):
    from papers.settings import Settings

    server = uvicorn.Server(uvicorn.Config(create_app(Settings(home=sample_home)), host="127.0.0.1", port=0,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started, "the server did not start"
    port = server.servers[0].sockets[0].getsockname()[1]  # the free port the system gave it
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1200,1400"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def shoot(browser, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    browser.save_screenshot(str(path))
    return path


def test_search_filter_ask_and_follow_a_citation(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.expected_conditions import url_contains
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(site + "/")
    box = browser.find_element(By.ID, "q")
    assert browser.switch_to.active_element == box  # the box has the focus: type straight away
    box.send_keys("approved foster households", Keys.ENTER)
    results = browser.find_elements(By.CSS_SELECTOR, "ol.results > li")
    assert results and browser.find_elements(By.CSS_SELECTOR, ".results mark")

    browser.find_element(By.CSS_SELECTOR, "details summary").click()
    Select(browser.find_element(By.ID, "kind")).select_by_visible_text("Action sheet")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 10).until(url_contains("kind=action_sheet"))  # the filtered page, not the one before
    filtered = browser.find_elements(By.CSS_SELECTOR, "ol.results > li .where")
    assert filtered and all(where.text.startswith("Action sheet ·") for where in filtered)
    assert "kind=action_sheet" in browser.current_url

    browser.get(site + "/")
    browser.find_element(By.ID, "q").send_keys("How many approved foster households do we have?")
    browser.find_element(By.CSS_SELECTOR, "input[name=mode][value=ask]").click()
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    answer = browser.find_element(By.CSS_SELECTOR, ".answer").text
    assert "118" in answer and "[1]" in answer
    shoot(browser, "answer")

    source = browser.find_element(By.CSS_SELECTOR, "ol.sources a")
    target = source.get_attribute("href").split("#")[1]
    source.click()
    passage = browser.find_element(By.ID, target)
    assert "118" in passage.text
    assert browser.find_element(By.CSS_SELECTOR, ".chunk:target").get_attribute("id") == target
    assert browser.find_element(By.CSS_SELECTOR, "aside.agenda").text.startswith("Agenda of")
    assert shoot(browser, "citation").stat().st_size > 10_000


def test_the_page_reads_on_a_phone(site, browser):
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 844)
    browser.get(site + "/?q=foster+households")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390 and browser.find_element(By.CSS_SELECTOR, "a.skip").get_attribute("href").endswith("#main")
    shoot(browser, "phone")
    browser.set_window_size(1200, 1400)


def test_the_record_pages_from_the_navigation_filter_chart_and_follow_an_action(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import url_contains
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(site + "/")
    browser.find_element(By.LINK_TEXT, "Figures").click()
    browser.find_element(By.ID, "measure").send_keys("Approved foster households")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 10).until(url_contains("measure="))
    chart = browser.find_element(By.CSS_SELECTOR, "section.series svg.chart")
    assert chart.is_displayed() and chart.size["width"] > 300
    labels = [text.text for text in chart.find_elements(By.CSS_SELECTOR, "text.period")]
    assert labels == ["2025-09", "2025-10", "2025-11", "2025-12"]
    assert [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "section.series tbody td:nth-child(2)")] == [
        "114", "115", "117", "118"]
    shoot(browser, "figures")

    browser.find_element(By.LINK_TEXT, "Actions").click()
    Select(browser.find_element(By.ID, "status")).select_by_visible_text("Open")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 10).until(url_contains("status=open"))  # the form's blank fields go too: no filter
    states = browser.find_elements(By.CSS_SELECTOR, ".records .state")
    assert states and {state.text.lower() for state in states} == {"open"}
    first = browser.find_element(By.CSS_SELECTOR, ".records a")
    title, target = first.text, first.get_attribute("href")
    first.click()
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url == target)
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    assert browser.find_elements(By.CSS_SELECTOR, ".timeline .status")
    browser.find_element(By.CSS_SELECTOR, ".timeline .cite a").click()
    WebDriverWait(browser, 10).until(url_contains("/view/"))
    assert browser.find_element(By.CSS_SELECTOR, ".chunk:target").is_displayed()
