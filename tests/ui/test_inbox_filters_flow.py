"""Inbox filters in a real browser: search in Chinese, save and share with the department, a colleague applies it."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services import cases

from ..helpers import REGISTRATION
from .conftest import ARTIFACTS
from .test_browser_flows import log_in


def register(app, **changes) -> str:
    with app.app_context():
        clerk = db.session.execute(select(User).where(User.username == "officer")).scalar_one()
        number = cases.start_case(clerk, "disclosure_request", {**REGISTRATION, **changes}).tracking_number
        db.session.remove()
        return number


def test_officer_searches_saves_a_shared_filter_and_a_colleague_applies_it(new_browser_page, live_server):
    housing = register(live_server.app, applicant_name="张三", description="2025年度本市老旧小区改造项目清单")
    budget = register(live_server.app, applicant_name="李四", description="区财政局2025年部门预算")
    clerk, colleague = new_browser_page(), new_browser_page()

    log_in(clerk, "officer")
    search = clerk.get_by_role("search", name="筛选待办")
    search.get_by_label("全文检索").fill("老旧小区")
    search.get_by_label("范围").select_option(label="可认领的任务")
    search.get_by_role("button", name="筛选").click()
    expect(clerk).to_have_url(re.compile(r"q=%E8%80%81%E6%97%A7%E5%B0%8F%E5%8C%BA"))
    rows = clerk.locator("table.list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(housing)
    expect(clerk.locator("table.list")).not_to_contain_text(budget)

    save = clerk.get_by_role("form", name="保存筛选")
    save.get_by_label("保存当前筛选为").fill("老旧小区改造")
    save.get_by_label("与本部门共享").check()
    save.get_by_role("button", name="保存筛选").click()
    expect(clerk.get_by_role("alert")).to_contain_text("已保存筛选：老旧小区改造（已与本部门共享）")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    clerk.screenshot(path=str(ARTIFACTS / "inbox-filters.png"), full_page=True)

    log_in(colleague, "officer2")
    saved = colleague.get_by_role("list", name="已保存的筛选")
    expect(saved).to_contain_text("王登记 共享")
    saved.get_by_role("link", name="老旧小区改造").click()
    expect(colleague.get_by_label("全文检索")).to_have_value("老旧小区")
    expect(colleague.locator("table.list tbody tr")).to_have_count(1)
    expect(colleague.locator("table.list")).to_contain_text(housing)

    # Sorting by a column keeps the filter.
    colleague.get_by_role("link", name="受理编号", exact=True).click()
    expect(colleague.get_by_label("全文检索")).to_have_value("老旧小区")
    expect(colleague.locator("th[aria-sort]")).to_contain_text("受理编号")
