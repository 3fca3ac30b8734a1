"""Inbox filters: each criterion, sorting, pagination, Chinese full text, saved filters shared by department."""
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Case, HumanTask, SavedFilter, User
from app.services import filters
from app.services.clock import today
from app.services.errors import Forbidden, Invalid

from .helpers import Api
from .test_web import csrf, login


def user(username) -> User:
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


def search(username, **args):
    return filters.search(user(username), filters.TaskFilter.from_args(args))


def trackings(page) -> list[str]:
    return [t.case.tracking_number for t in page.items]


@pytest.fixture
def office(client):
    """Three requests registered by the clerk, waiting in the registration lane."""
    api = Api(client, "officer")
    cases = {
        "housing": api.register(applicant_name="张三", received_on="2026-03-02",
                                description="2025年度本市老旧小区改造项目清单"),
        "budget": api.register(applicant_name="李四", received_on="2026-04-15",
                               description="区财政局2025年部门预算及“三公”经费说明"),
        "river": api.register(applicant_name="王五", received_on="2026-05-20",
                              description="城北河道整治工程环境影响评价报告（100%公开部分）"),
    }
    return api, {k: c["tracking_number"] for k, c in cases.items()}


# -- criteria -----------------------------------------------------------------------

def test_each_criterion_narrows_the_inbox(office):
    api, tn = office
    everything = search("officer2", scope="claimable", per_page="100")
    assert set(tn.values()) <= set(trackings(everything))

    assert trackings(search("officer2", scope="claimable", party="李四")) == [tn["budget"]]
    assert trackings(search("officer2", scope="claimable", tracking=tn["river"][-6:])) == [tn["river"]]
    assert search("officer2", scope="claimable", process="no_such_process").total == 0
    assert set(tn.values()) <= set(trackings(search("officer2", scope="claimable", process="disclosure_request")))
    received_in_april = search("officer2", scope="claimable", date_field="received",
                               date_from="2026-04-01", date_to="2026-04-30")
    assert trackings(received_in_april) == [tn["budget"]]
    received_from_april = search("officer2", scope="claimable", date_from="2026-04-15")
    assert set(trackings(received_from_april)) == {tn["budget"], tn["river"]}

    # The clerk works the housing request: its next task is a different one.
    housing_task = search("officer", scope="claimable", tracking=tn["housing"]).items[0]
    api.complete(housing_task.case_id, "check_completeness", {"needs_correction": False})
    handling = search("officer2", scope="claimable", task="检索并拟办答复")
    assert trackings(handling) == [tn["housing"]]
    assert trackings(search("officer2", scope="claimable", task="handle")) == [tn["housing"]]
    assert tn["housing"] not in trackings(search("officer2", scope="claimable", task="审查申请是否完整"))


def test_due_states_follow_the_inbox_colours(office):
    _, tn = office
    now = today()
    due = {tn["housing"]: now - timedelta(days=1), tn["budget"]: now + timedelta(days=2),
           tn["river"]: now + timedelta(days=10)}
    for number, day in due.items():
        task = search("officer", scope="claimable", tracking=number).items[0]
        db.session.execute(update(HumanTask).where(HumanTask.id == task.id).values(due_date=day))
    db.session.commit()

    def states(state):
        return set(trackings(search("officer", scope="claimable", due=state, per_page="100"))) & set(tn.values())

    assert states("overdue") == {tn["housing"]}
    assert states("due_soon") == {tn["budget"]}
    assert states("normal") == {tn["river"]}
    assert states("none") == set()
    by_due = search("officer", scope="claimable", date_field="due", date_from=now.isoformat(),
                    date_to=(now + timedelta(days=5)).isoformat())
    assert trackings(by_due) == [tn["budget"]]


def test_all_scope_shows_colleagues_claimed_tasks_to_the_department_only(office, client):
    api, tn = office
    officer2 = Api(client, "officer2")
    task = search("officer2", scope="claimable", tracking=tn["budget"]).items[0]
    officer2.ok(officer2.post(f"/tasks/{task.id}/claim", {}))
    assert tn["budget"] not in trackings(search("officer", scope="claimable", per_page="100"))
    assert tn["budget"] in trackings(search("head", scope="all", per_page="100"))
    assert tn["budget"] in trackings(search("auditor", scope="all", per_page="100"))
    # The confidentiality office sees none of these registration tasks: not its department, not its lane.
    assert not set(trackings(search("reviewer", scope="all", per_page="100"))) & set(tn.values())
    assert trackings(search("officer2", scope="mine")) == [tn["budget"]]


# -- sorting and pages -----------------------------------------------------------------

def test_columns_sort_both_ways_and_empty_values_last(office):
    _, tn = office
    mine = set(tn.values())

    def order(**args):
        return [n for n in trackings(search("officer", scope="claimable", per_page="100", **args)) if n in mine]

    assert order(sort="received_on") == [tn["housing"], tn["budget"], tn["river"]]
    assert order(sort="received_on", order="desc") == [tn["river"], tn["budget"], tn["housing"]]
    assert order(sort="tracking_number") == sorted(mine)
    assert order(sort="tracking_number", order="desc") == sorted(mine, reverse=True)
    # Only one request has a due date: it comes first whichever way due dates are sorted.
    task = search("officer", scope="claimable", tracking=tn["river"]).items[0]
    db.session.execute(update(HumanTask).where(HumanTask.case_id != task.case_id).values(due_date=None))
    db.session.execute(update(HumanTask).where(HumanTask.id == task.id).values(due_date=today()))
    db.session.commit()
    assert order(sort="due_date")[0] == tn["river"]
    assert order(sort="due_date", order="desc")[0] == tn["river"]


def test_pages_cover_every_task_once(client):
    api = Api(client, "officer")
    numbers = {api.register(applicant_name=f"申请人{i}")["tracking_number"] for i in range(5)}
    seen, total = [], None
    for page in (1, 2, 3):
        result = search("officer", scope="claimable", party="申请人", per_page="2", page=str(page),
                        sort="tracking_number")
        total = result.total
        seen += trackings(result)
        assert len(result.items) == (2 if page < 3 else 1)
        assert result.has_next == (page < 3) and result.has_prev == (page > 1)
    assert total == 5 and result.pages == 3
    assert seen == sorted(numbers)
    assert search("officer", scope="claimable", party="申请人", per_page="2", page="4").items == []


# -- full text --------------------------------------------------------------------------

def test_full_text_finds_chinese_substrings(office):
    _, tn = office

    def found(q):
        return set(trackings(search("officer", scope="claimable", q=q, per_page="100")))

    assert found("老旧小区") == {tn["housing"]}
    assert found("预算") == {tn["budget"]}  # two characters: no trigram, still found
    assert found("三公经费") == set()  # the text says “三公”经费: a substring match, not a guess
    assert found("2025年 部门预算") == {tn["budget"]}  # every term must match
    assert found("2025年") == {tn["housing"], tn["budget"]}
    assert found("王五 河道") == {tn["river"]}
    assert found("100%") == {tn["river"]}  # % is a character, not a wildcard
    assert found("%") == {tn["river"]}
    assert found(tn["budget"]) == {tn["budget"]}  # the tracking number is part of the text


def test_full_text_is_served_by_the_trigram_index_on_postgresql(office):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    has_index = db.session.execute(select(func.count()).select_from(
        db.text("pg_indexes")).where(db.text("indexname = 'ix_case_file_search_trgm'"))).scalar_one()
    assert has_index == 1
    stmt = select(Case.id).where(filters.text_clause("老旧小区"))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # a tiny table would be scanned anyway
        conn.exec_driver_sql("SET enable_indexscan = off")  # …or read through its primary key
        compiled = stmt.compile(dialect=db.engine.dialect)
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params))
    assert "ix_case_file_search_trgm" in plan, plan


# -- saved filters ---------------------------------------------------------------------

def test_a_filter_saved_by_one_officer_is_used_by_a_colleague_and_refused_outside_the_department(office, client):
    _, tn = office
    wanted = filters.TaskFilter.from_args({"scope": "claimable", "q": "老旧小区", "sort": "tracking_number"})
    shared = filters.save(user("officer"), "老旧小区改造", wanted, share=True)
    private = filters.save(user("officer"), "我的草稿", wanted)

    # A colleague of the same department finds it, and its criteria give him the same tasks.
    colleague = user("officer2")
    assert [s.name for s in filters.available(colleague)] == ["老旧小区改造"]
    used = filters.params_of(colleague, shared.id)
    assert used == wanted
    assert trackings(filters.search(colleague, used)) == [tn["housing"]]
    # …but not the private one, and he cannot delete either.
    with pytest.raises(Forbidden):
        filters.get(colleague, private.id)
    with pytest.raises(Forbidden):
        filters.delete(colleague, shared.id)

    # The confidentiality office (another department) is refused.
    outsider = user("reviewer")
    assert filters.available(outsider) == []
    with pytest.raises(Forbidden):
        filters.params_of(outsider, shared.id)

    # The same through the API …
    assert [t["tracking_number"] for t in Api(client, "officer2").ok(
        Api(client, "officer2").get(f"/tasks?filter={shared.id}"))] == [tn["housing"]]
    refused = Api(client, "reviewer").get(f"/tasks?filter={shared.id}")
    assert refused.status_code == 403 and "部门" in refused.get_json()["error"]

    # … and in the browser: the link applies it for a colleague, refuses it outside.
    login(client, "officer2")
    page = client.get("/").get_data(as_text=True)
    assert "老旧小区改造" in page and "我的草稿" not in page
    applied = client.get(f"/filters/{shared.id}")
    assert applied.status_code == 302
    assert parse_qs(urlparse(applied.headers["Location"]).query)["q"] == ["老旧小区"]
    inbox = client.get(applied.headers["Location"]).get_data(as_text=True)
    assert tn["housing"] in inbox and tn["budget"] not in inbox
    client.get("/logout")
    login(client, "reviewer")
    assert client.get(f"/filters/{shared.id}").status_code == 403
    assert "老旧小区改造" not in client.get("/").get_data(as_text=True)


def test_owner_saves_shares_and_deletes_in_the_browser_with_csrf(office, client):
    _, tn = office
    login(client, "officer")
    page = client.get("/?scope=all&party=李四&sort=received_on&order=desc").get_data(as_text=True)
    save_form = re.search(r'<form method="post" action="/filters".*?</form>', page, re.S).group(0)
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', save_form))
    assert hidden["party"] == "李四" and hidden["scope"] == "all" and hidden["order"] == "desc"

    no_token = {k: v for k, v in hidden.items() if k != "csrf_token"}
    refused = client.post("/filters", data={**no_token, "name": "李四的申请", "share": "1"})
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(SavedFilter)).scalar_one() == 0

    saved = client.post("/filters", data={**hidden, "name": "李四的申请", "share": "1"})
    assert saved.status_code == 302
    row = db.session.execute(select(SavedFilter)).scalar_one()
    assert row.name == "李四的申请" and row.department_id == user("officer").department_id
    assert row.params == {"scope": "all", "party": "李四", "sort": "received_on", "order": "desc"}
    db.session.remove()

    page = client.get("/").get_data(as_text=True)
    assert f'href="/filters/{row.id}">李四的申请</a>' in page and "已共享" in page
    unshared = client.post(f"/filters/{row.id}/share", data={"share": "0", "csrf_token": csrf(page)})
    assert unshared.status_code == 302
    assert db.session.get(SavedFilter, row.id).department_id is None
    with pytest.raises(Forbidden):
        filters.get(user("officer2"), row.id)
    db.session.remove()
    no_name = client.post("/filters", data={**hidden, "name": " ", "csrf_token": csrf(page)}, follow_redirects=True)
    assert "请为筛选命名" in no_name.get_data(as_text=True)
    assert client.post(f"/filters/{row.id}/delete").status_code == 400  # CSRF again
    deleted = client.post(f"/filters/{row.id}/delete", data={"csrf_token": csrf(page)})
    assert deleted.status_code == 302
    assert db.session.execute(select(func.count()).select_from(SavedFilter)).scalar_one() == 0


# -- the inbox page and the API ----------------------------------------------------------

def test_the_inbox_page_filters_sorts_and_pages_by_url(office, client):
    _, tn = office
    login(client, "officer")
    page = client.get("/?q=老旧小区").get_data(as_text=True)
    assert tn["housing"] in page and tn["budget"] not in page and tn["river"] not in page
    assert 'value="老旧小区"' in page  # the form shows what is applied

    page = client.get("/?scope=claimable&per_page=1&sort=received_on").get_data(as_text=True)
    rows = re.findall(r"YSQ-\d{4}-\d{6}", page.split("<tbody>")[1].split("</tbody>")[0])
    assert rows == [tn["housing"]]
    assert "第 1 / 3 页" in page
    next_link = re.search(r'href="([^"]+)" rel="next"', page).group(1).replace("&amp;", "&")
    assert "page=2" in next_link and "sort=received_on" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert tn["budget"] in second.split("<tbody>")[1] and tn["housing"] not in second.split("<tbody>")[1]

    # Column headers sort; clicking the sorted one reverses it.
    def header_link(html, label):
        return re.search(rf'<a class="sort" href="([^"]+)">{label}</a>', html).group(1).replace("&amp;", "&")

    by_number = header_link(page, "受理编号")
    query = parse_qs(urlparse(by_number).query)
    assert query["sort"] == ["tracking_number"] and query["order"] == ["asc"] and "page" not in query
    ascending = client.get(by_number).get_data(as_text=True)
    assert "order=desc" in header_link(ascending, "受理编号")
    descending = client.get(header_link(ascending, "受理编号")).get_data(as_text=True)
    rows = re.findall(r"YSQ-\d{4}-\d{6}", descending.split("<tbody>")[1].split("</tbody>")[0])
    assert rows == [max(tn.values())]  # one per page, the highest number first

    # The usual inbox keeps its two tables: my tasks, then the claimable ones.
    default = client.get("/").get_data(as_text=True)
    assert default.count('<table class="list">') == 2 and "可认领的任务" in default


def test_invalid_parameters_are_named_not_a_server_error(client):
    login(client, "officer")
    page = client.get("/?date_from=2026-13-01&sort=password&per_page=5000&due=soonish")
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    for label in ("开始日期", "排序", "每页条数", "期限状态"):
        assert label in text
    reversed_range = client.get("/?date_from=2026-05-01&date_to=2026-04-01")
    assert reversed_range.status_code == 422 and "结束日期不能早于开始日期" in reversed_range.get_data(as_text=True)

    api = Api(client, "officer")
    response = api.get("/tasks?page=0&order=sideways&q=" + "字" * 101)
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"page", "order", "q"}
    assert api.get("/tasks?filter=abc").status_code == 422
    assert api.get("/tasks?filter=999999").status_code == 404
    with pytest.raises(Invalid):
        filters.TaskFilter.from_args({"scope": "everyone"})


def test_the_api_lists_pages_with_totals_and_links(office, client):
    _, tn = office
    api = Api(client, "officer2")
    first = api.get("/tasks?scope=claimable&per_page=2&sort=received_on")
    assert first.status_code == 200 and first.headers["X-Total-Count"] == "3"
    assert [t["tracking_number"] for t in first.get_json()] == [tn["housing"], tn["budget"]]
    next_url = re.search(r'<([^>]+)>; rel="next"', first.headers["Link"]).group(1)
    second = api.get(next_url.removeprefix("/api/v1"))
    assert [t["tracking_number"] for t in second.get_json()] == [tn["river"]]
    assert 'rel="prev"' in second.headers["Link"] and 'rel="next"' not in second.headers["Link"]
    found = api.ok(api.get("/tasks?scope=claimable&q=老旧小区"))
    assert [t["tracking_number"] for t in found] == [tn["housing"]]
    assert api.ok(api.get("/tasks")) == []  # the default scope is still "mine"


def test_the_cases_page_searches_only_the_cases_one_may_see(office, client):
    _, tn = office
    login(client, "officer")
    page = client.get("/cases?q=老旧小区").get_data(as_text=True)
    assert tn["housing"] in page and tn["budget"] not in page
    assert client.get("/cases?q=" + "词 " * 6).status_code == 422
    client.get("/logout")
    login(client, "reviewer")  # the confidentiality office: none of these cases is its business yet
    assert tn["housing"] not in client.get("/cases?q=老旧小区").get_data(as_text=True)
    client.get("/logout")
    login(client, "auditor")
    assert tn["housing"] in client.get("/cases?q=老旧小区").get_data(as_text=True)
