"""Reconsideration and litigation (DOMAIN 2.7) recorded on closed disclosure requests: in the history,
validated field by field, never reopening the process, refused on open cases."""
from .annual_fixture import Office
from .helpers import office_today


def closed_case(office) -> int:
    case_id = office.register("natural_person", "2026-03-02")
    office.reply(case_id, "withheld", office_today())
    return case_id


def test_a_reconsideration_is_recorded_then_decided_and_both_are_in_the_history(client):
    office = Office(client)
    officer, case_id = office.api["officer"], closed_case(office)
    remedy = office.remedy(case_id, kind="reconsideration", filed_on="2026-04-01", body="示范市人民政府")
    assert remedy["outcome"] == "pending" and remedy["kind_label"] == "行政复议"
    decided = officer.ok(officer.post(f"/remedies/{remedy['id']}", {"outcome": "corrected",
                                                                     "decided_on": "2026-05-20",
                                                                     "documents": "示复决〔2026〕3号"}))
    assert decided["outcome_label"] == "结果纠正" and decided["filed_on"] == "2026-04-01"
    assert [r["outcome"] for r in officer.ok(officer.get(f"/cases/{case_id}/remedies"))] == ["corrected"]
    events = [e for e in officer.ok(officer.get(f"/cases/{case_id}/history")) if e["type"].startswith("remedy_")]
    assert [e["type"] for e in events] == ["remedy_added", "remedy_updated"]
    assert events[1]["payload"]["before"] == {"outcome": "pending", "decided_on": None, "documents": ""}
    assert events[1]["payload"]["after"]["outcome"] == "corrected"
    # The process stays closed: no task came back.
    case = officer.case(case_id)
    assert case["status"] == "archived" and not [t for t in case["tasks"] if t["state"] == "ready"]


def test_a_remedy_on_an_open_request_is_refused(client):
    office = Office(client)
    case_id = office.register("natural_person", "2026-03-02")
    response = office.api["officer"].post(f"/cases/{case_id}/remedies", {
        "kind": "reconsideration", "filed_on": "2026-04-01", "body": "示范市人民政府"})
    assert response.status_code == 409 and "尚未办结" in response.get_json()["error"]


def test_wrong_remedy_fields_are_named_in_chinese(client):
    office = Office(client)
    officer, case_id = office.api["officer"], closed_case(office)
    response = officer.post(f"/cases/{case_id}/remedies", {
        "kind": "appeal", "filed_on": "2026-02-30", "body": "", "outcome": "upheld"})
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"kind", "filed_on", "body", "decided_on"}
    response = officer.post(f"/cases/{case_id}/remedies", {
        "kind": "litigation_direct", "filed_on": "2026-03-01", "body": "示范市某区人民法院"})
    assert response.get_json()["fields"] == {"filed_on": "不能早于收到申请的日期（2026-03-02）"}
    response = officer.post(f"/cases/{case_id}/remedies", {
        "kind": "litigation_direct", "filed_on": "2026-04-01", "body": "示范市某区人民法院", "outcome": "upheld",
        "decided_on": "2026-03-31"})
    assert response.get_json()["fields"] == {"decided_on": "不能早于提起日期"}


def test_auditors_read_remedies_but_do_not_record_them(client):
    office = Office(client)
    case_id = closed_case(office)
    auditor = office.api["auditor"]
    assert auditor.get(f"/cases/{case_id}/remedies").status_code == 200
    assert auditor.post(f"/cases/{case_id}/remedies", {"kind": "reconsideration", "filed_on": "2026-04-01",
                                                       "body": "示范市人民政府"}).status_code == 403


def test_the_case_page_form_keeps_what_was_typed_when_refused(client):
    from .test_web import csrf, login
    office = Office(client)
    case_id = closed_case(office)
    login(client, "officer")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "行政复议、行政诉讼" in page
    response = client.post(f"/cases/{case_id}/remedies", data={
        "kind": "reconsideration", "filed_on": "2026-04-01", "body": "示范市人民政府", "outcome": "upheld",
        "decided_on": "", "documents": "示复决〔2026〕9号", "csrf_token": csrf(page)})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "示复决〔2026〕9号" in body and "必填" in body  # the decision date is needed for a decided case
    response = client.post(f"/cases/{case_id}/remedies", data={
        "kind": "reconsideration", "filed_on": "2026-04-01", "body": "示范市人民政府", "outcome": "upheld",
        "decided_on": "2026-05-01", "documents": "示复决〔2026〕9号", "csrf_token": csrf(page)})
    assert response.status_code == 302
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "示复决〔2026〕9号" in page and "结果维持" in page and "登记复议诉讼" in page
