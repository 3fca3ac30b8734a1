"""Short Chinese search terms (most names are two characters) are found through the gram index on both
databases — /cases?q=, the inbox's full text (API and page) and its party filter — with exactly the
results of a substring match: no miss, no false hit, hidden fields still hidden."""
from sqlalchemy import select

from app.extensions import db
from app.models import Case
from app.services import search_grams

from .helpers import Api, office_today
from .test_web import login


def test_grams_are_the_unigrams_and_bigrams_within_words():
    assert set(search_grams.grams("王五 AB老旧")) == {"王", "五", "王五", "a", "b", "老", "旧", "ab", "b老", "老旧"}
    assert "五A" not in search_grams.grams("王五 AB")  # never across whitespace: a term has none


def register(api, name, description):
    return api.register(applicant_name=name, description=description, received_on=office_today())


def test_two_and_one_character_terms_find_exactly_the_cases_containing_them(client):
    api = Api(client, "officer")
    wang = register(api, "王五", "申请公开道路维修资金使用情况")
    wang_li = register(api, "王立", "申请公开老旧小区改造计划")
    zhao = register(api, "赵六", "申请公开王府井片区规划")
    cases = {c["tracking_number"]: c for c in (wang, wang_li, zhao)}

    def found(q):
        body = api.ok(api.get(f"/tasks?scope=all&per_page=100&q={q}"))
        return {item["tracking_number"] for item in body} & set(cases)

    assert found("王五") == {wang["tracking_number"]}
    assert found("王") == set(cases)  # 赵六's request names 王府井
    assert found("老旧") == {wang_li["tracking_number"]}
    assert found("五王") == set()  # both characters present, never adjacent
    assert found("王 规划") == {zhao["tracking_number"]}  # every term must match
    assert found("五立") == set()

    login(client, "officer")
    page = client.get("/cases?q=王五").get_data(as_text=True)
    assert wang["tracking_number"] in page and wang_li["tracking_number"] not in page
    inbox = client.get("/?scope=all&q=赵六").get_data(as_text=True)
    assert zhao["tracking_number"] in inbox and wang["tracking_number"] not in inbox


def test_the_party_filter_finds_a_two_character_name_only_in_the_party_field(client):
    api = Api(client, "officer")
    wang = register(api, "王五", "申请公开道路维修资金使用情况")
    mention = register(api, "赵六", "举报王五违规占道")  # 王五 named, but not the applicant
    body = api.ok(api.get("/tasks?scope=all&per_page=100&party=王五"))
    found = {item["tracking_number"] for item in body}
    assert wang["tracking_number"] in found and mention["tracking_number"] not in found


def test_grams_follow_every_change_of_the_case_data(client):
    api = Api(client, "officer")
    case = register(api, "王五", "申请公开道路维修资金使用情况")
    api.complete(case["id"], "check_completeness", {"needs_correction": True, "correction_items": "请补充钱七的授权书",
                                                    "correction_deadline": "2030-12-31"})
    row = db.session.execute(select(Case).where(Case.id == case["id"])).scalar_one()
    assert "钱七" in row.search_grams
    body = api.ok(api.get("/tasks?scope=all&q=钱七"))
    assert [item["tracking_number"] for item in body] == [case["tracking_number"]]
