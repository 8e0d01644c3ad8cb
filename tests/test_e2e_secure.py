"""Secure defaults in headless Chromium: the sign-in delay and lockout show in the page, a reload
keeps the analyst signed in (signed cookie) until sign-out, and the targets CSV download cannot
start a formula while Streamlit's own table download is off.

The app runs with two analysts and a lockout after 5 failures (GOVINDEX_SIGNIN_LOCKOUT_AFTER).
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analytics.auth import hash_password  # noqa: E402
from analytics.store import Store  # noqa: E402
from tests.e2e_server import build_store, running_app, system_chromium  # noqa: E402
from tests.test_e2e_browser import _require_browser  # noqa: E402

PASSWORD = "mat-khau-thu"
NOTE = '=HYPERLINK("http://x.invalid","bấm")'
TIMEOUT = 30_000
ENV = {"GOVINDEX_SIGNIN_LOCKOUT_AFTER": "5", "GOVINDEX_SIGNIN_LOCKOUT_SECONDS": "600"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    _require_browser()
    db_path = tmp_path_factory.mktemp("e2e_secure") / "govindex.duckdb"
    build_store(db_path)
    with Store.open(db_path) as store:
        store.save_target(era="legacy", province_code="46", index_code="PAPI", year=2023, target_score=45.0,
                          strictly_above=False, target_rank=None, min_rank_gain=None, note=NOTE, set_by="@test")
    line = hash_password(PASSWORD)
    env = {**ENV, "GOVINDEX_ANALYSTS": f"lan={line};hoa={line}",
           "GOVINDEX_SESSION_KEY_FILE": str(db_path.parent / "session.key")}
    previous = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        with running_app(db_path) as (base_url, _process):
            yield base_url
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def browser(app):
    with system_chromium() as browser:
        yield browser


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT)
    yield context
    context.close()


def settled(page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached")


def attempt(page, name: str, password: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    time.sleep(0.3)
    settled(page)


def alert_text(page) -> str:
    return " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())


def test_sign_in_delay_then_lockout_show_in_the_page(app, context):
    page = context.new_page()
    page.goto(app + "/nhap_du_lieu")
    page.get_by_label("Tên đăng nhập").wait_for()
    for _ in range(3):
        attempt(page, "lan", "sai")
    page.get_by_text("Thử lại sau 1 giây").wait_for()
    attempt(page, "lan", PASSWORD)  # the right password during the delay is refused
    assert "Thử lại sau" in alert_text(page) and page.get_by_text("Đăng nhập: lan").count() == 0
    time.sleep(1.2)
    attempt(page, "lan", "sai")
    page.get_by_text("Thử lại sau 2 giây").wait_for()
    time.sleep(2.2)
    attempt(page, "lan", "sai")
    page.get_by_text("tạm bị khóa 10 phút").wait_for()
    page.screenshot(path=str(ROOT / "test-artifacts" / "signin_locked.png"))
    page.reload()  # a reload does not reset the lockout
    page.get_by_label("Tên đăng nhập").wait_for()
    attempt(page, "lan", PASSWORD)
    page.get_by_text("tạm bị khóa").wait_for()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0


def test_a_reload_keeps_the_analyst_signed_in_until_sign_out(app, context):
    page = context.new_page()
    page.goto(app + "/nhap_du_lieu")
    attempt(page, "hoa", PASSWORD)
    page.get_by_text("Đăng nhập: hoa").wait_for()
    # The cookie's script runs in the browser just after the signed-in page shows: wait for it.
    page.wait_for_function("document.cookie.includes('govindex_session=')", timeout=15_000)
    cookie = [c for c in context.cookies() if c["name"] == "govindex_session"]
    assert cookie and cookie[0]["sameSite"] == "Strict" and PASSWORD not in cookie[0]["value"]
    page.reload()
    page.get_by_text("Đăng nhập: hoa").wait_for()
    page.locator('[data-testid="stFileUploader"]').wait_for()
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label("Tên đăng nhập").wait_for()
    settled(page)
    page.reload()
    page.get_by_label("Tên đăng nhập").wait_for()
    assert page.get_by_text("Đăng nhập: hoa").count() == 0


def test_targets_csv_cannot_start_a_formula_and_the_table_toolbar_has_no_download(app, context):
    page = context.new_page()
    page.goto(app + "/muc_tieu?province=46")
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for()
    settled(page)
    table.hover()
    time.sleep(0.5)
    toolbar = page.locator('[data-testid="stElementToolbar"]').first
    assert toolbar.locator("button").count() >= 1  # the toolbar is there (search, columns, full screen)
    assert toolbar.get_by_role("button", name="Download as CSV").count() == 0
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải CSV").first.click()
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    notes = [row["Ghi chú (nguồn kế hoạch)"] for row in rows]
    assert notes == ["'" + NOTE], notes
    assert not any(value.startswith(("=", "+", "@")) for row in rows for value in row.values())
