"""The annual report in a real browser: a head picks the year, follows a number to its cases, and writes a
section of the report."""
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services import cases

from ..helpers import REGISTRATION
from .conftest import ARTIFACTS
from .test_browser_flows import DISPLAY_NAMES, log_in


def register(app, **changes) -> str:
    with app.app_context():
        clerk = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
        number = cases.start_case(clerk, "disclosure_request", {**REGISTRATION, **changes}).tracking_number
        db.session.remove()
        return number


def test_head_picks_the_year_follows_a_number_and_writes_section_one(browser_page, live_server, monkeypatch):
    monkeypatch.setitem(DISPLAY_NAMES, "head", "陈主任")
    page = browser_page
    received = register(live_server.app, received_on="2026-03-02")
    log_in(page, "head")
    page.get_by_role("link", name="年度报告").click()
    page.get_by_label("年度", exact=True).select_option("2026")
    page.get_by_role("button", name="查看").click()
    table = page.locator("table.annual-report")
    new_row = table.locator("tr", has_text="一、本年新收政府信息公开申请数量")
    expect(new_row.locator("td").nth(1)).to_have_text("1")  # 自然人
    page.screenshot(path=str(ARTIFACTS / "annual-report.png"), full_page=True)
    new_row.locator("td").nth(1).get_by_role("link").click()
    expect(page.locator("table.list")).to_contain_text(received)

    page.go_back()
    page.get_by_label("一、总体情况（由公开工作机构填写）").fill("本年度，本机关认真贯彻《条例》。")
    page.get_by_role("button", name="保存文字部分").first.click()
    expect(page.locator(".flash")).to_contain_text("已保存年度报告文字部分")
    expect(page.get_by_label("一、总体情况（由公开工作机构填写）")).to_have_value("本年度，本机关认真贯彻《条例》。")
