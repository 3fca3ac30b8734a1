"""Which body speaks and decides (XF 22–23, 35–36): the office's departments belong to 示范市人民政府办公室; its
superior 示范市人民政府 decides a 复查, whose superior 示范省人民政府 decides the 复核. Each letter goes out under
the deciding body's name and its own document series, and the same body never answers both."""
import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Department

from .helpers import Api, office_today
from .test_petition_lifecycle import accept, letter, register, reply
from .test_petition_review import REQUESTER, answer, issued_days_ago, request_review


def office_of(client):
    return {"registrar": Api(client, "xfofficer"), "handler": Api(client, "officer"), "head": Api(client, "head"),
            "upper": Api(client, "reviewer_up"), "top": Api(client, "reviewer_top")}


def test_review_and_re_review_climb_three_bodies_each_with_its_letterhead_and_series(client, tmp_path):
    office = office_of(client)
    registrar, handler, upper, top = office["registrar"], office["handler"], office["upper"], office["top"]
    case_id = accept(office)
    reply(office, case_id, "not_support")
    registrar.complete(case_id, "record_satisfaction", {"satisfaction": "dissatisfied", "evaluated_on": office_today(),
                                                        "reply_received_on": office_today()})
    opinion, text = letter(handler, case_id, "handling_opinion", tmp_path)
    assert text.startswith("示范市人民政府办公室信访处理意见书") and opinion["number"].startswith("示政办信处〔")

    # 复查: only the body one level above the handling body registers and answers it.
    body = request_review(top, registrar.case(case_id)["tracking_number"], status=422)
    assert "示范市人民政府" in body["fields"]["review_kind"]
    review = request_review(upper, registrar.case(case_id)["tracking_number"])
    data = upper.case(review["id"])["data"]
    assert data["deciding_body"] == "SJ" and data["deciding_body_name"] == "示范市人民政府"
    task = upper.open_task(review["id"], "answer_review")
    assert top.post(f"/tasks/{task['id']}/claim").status_code == 403
    answer(upper, review["id"])
    first, text = letter(upper, review["id"], "review_opinion", tmp_path)
    assert text.startswith("示范市人民政府信访事项复查意见书") and "示范市人民政府办公室" not in text
    assert first["number"].startswith("示政信复查〔") and first["number"] in text

    # 复核: the body above the 复查 body; the 复查 body cannot decide it.
    body = request_review(upper, review["tracking_number"], kind="re_review", status=422)
    assert "示范省人民政府" in body["fields"]["review_kind"]
    re_review = request_review(top, review["tracking_number"], kind="re_review")
    assert top.case(re_review["id"])["data"]["deciding_body"] == "SSJ"
    task = top.open_task(re_review["id"], "answer_review")
    assert upper.post(f"/tasks/{task['id']}/claim").status_code == 403
    answer(top, re_review["id"])
    second, text = letter(top, re_review["id"], "re_review_opinion", tmp_path)
    assert text.startswith("示范省人民政府信访事项复核意见书") and "示范市人民政府" not in text
    assert second["number"].startswith("示省政信复核〔") and second["number"] in text


def test_a_body_that_is_not_a_petition_office_cites_article_23_at_intake(client, tmp_path):
    """XF 22 is the duty of a 信访部门; any other body that receives a petition answers under XF 23."""
    office = office_of(client)
    xfj = db.session.execute(select(Department).where(Department.code == "XFJ")).scalar_one()
    xfj.is_petition_office = False
    db.session.commit()
    case_id = accept(office)
    _doc, text = letter(office["registrar"], case_id, "acceptance_notice", tmp_path)
    assert "《信访工作条例》第二十三条" in text and "第二十二条" not in text


def test_a_review_request_is_the_petitioners_own(client):
    """An officer of the body above cannot pull a petitioner's identity into a review by typing a number."""
    office = office_of(client)
    case_id = accept(office)
    reply(office, case_id, "not_support")
    number = office["registrar"].case(case_id)["tracking_number"]
    upper = office["upper"]
    for someone_else in ({"requester_name": "王五", "requester_id_number": "110101199001010011"},
                         {"requester_name": "李四", "requester_id_number": "110101199001010011"},
                         {"requester_name": "", "requester_id_number": ""}):
        body = request_review(upper, number, status=422, **someone_else)
        assert "requester_name" in body["fields"]
        assert "110101198505051234" not in str(body) and "13900000000" not in str(body)
    # The same ID number written another way is the same person.
    request_review(upper, number, requester_name="李四", requester_id_number="110101 19850505 1234")


def test_the_review_window_runs_from_receipt_and_never_from_before_the_opinion(client):
    office = office_of(client)
    upper, registrar = office["upper"], office["registrar"]
    case_id = accept(office)
    reply(office, case_id, "not_support")
    issued_days_ago(case_id, "handling_opinion", 40)
    # A receipt before the opinion was issued is refused where it is recorded.
    forty_one = (datetime.date.fromisoformat(office_today()) - datetime.timedelta(days=41)).isoformat()
    body = registrar.complete(case_id, "record_satisfaction", {"satisfaction": "dissatisfied",
                                                               "evaluated_on": office_today(),
                                                               "reply_received_on": forty_one}, status=422)
    assert "不能早于其出具日期" in body["fields"]["reply_received_on"]
    # Issued 40 days ago but the receipt is not known: the window has not begun, the request is in time.
    registrar.complete(case_id, "record_satisfaction", {"satisfaction": "dissatisfied", "evaluated_on": office_today()})
    number = registrar.case(case_id)["tracking_number"]
    body = request_review(upper, number, status=422, answer_received_on=forty_one)
    assert "不能早于" in body["fields"]["answer_received_on"]
    review = request_review(upper, number)
    assert "request_due_date" not in upper.case(review["id"])["data"]


def test_a_last_day_on_a_holiday_moves_to_the_next_working_day_and_a_posted_request_is_in_time():
    from workflows.calendar import WorkCalendar
    from app.petition.reviews import request_window
    cal = WorkCalendar.from_chinese_calendar([2026])
    # Received on 2026-09-01: day 30 is 2026-10-01, National Day; the holiday runs to 10-07, so 10-08 is last.
    issued, received = datetime.date(2026, 8, 31), datetime.date(2026, 9, 1)
    last_day, errors = request_window(issued, received, datetime.date(2026, 10, 8), None, cal)
    assert errors == {} and last_day == datetime.date(2026, 10, 8)
    # Posted on the last day, received by the office two days later: in time.
    last_day, errors = request_window(issued, received, datetime.date(2026, 10, 10), datetime.date(2026, 10, 8), cal)
    assert errors == {} and datetime.date(2026, 10, 8) <= last_day
    # A request on the day the opinion was issued is never late.
    last_day, errors = request_window(issued, issued, issued, None, cal)
    assert errors == {} and issued < last_day


def test_the_reviewer_reads_the_petition_and_its_opinion_and_both_pages_link(app, client):
    from .test_web import login
    office = office_of(client)
    upper, registrar = office["upper"], office["registrar"]
    case_id = accept(office)
    reply(office, case_id, "not_support")
    petition = registrar.case(case_id)
    assert upper.get(f"/cases/{case_id}").status_code == 404  # no review yet: nothing links them (unseen = missing)
    review = request_review(upper, petition["tracking_number"])
    assert upper.case(case_id)["tracking_number"] == petition["tracking_number"]
    (opinion,) = [d for d in petition["documents"] if d["kind"] == "handling_opinion"]
    assert upper.get(f"/documents/{opinion['id']}").status_code == 200
    # The body above the reviewer reads neither until a re-review names them.
    assert office["top"].get(f"/cases/{case_id}").status_code == 404

    page = login(client, "reviewer_up").get(f"/cases/{review['id']}").get_data(as_text=True)
    assert "关联案件" in page and f"/cases/{case_id}" in page and petition["tracking_number"] in page
    page = login(app.test_client(), "reviewer_up").get(f"/cases/{case_id}").get_data(as_text=True)
    assert "复查请求" in page and review["tracking_number"] in page


def test_hearing_time_is_not_counted_in_the_re_review_period(client):
    """XF 36.2: the 复核 body may hold a hearing; the days it takes do not run against the 30 days."""
    office = office_of(client)
    registrar, upper, top = office["registrar"], office["upper"], office["top"]
    case_id = accept(office)
    reply(office, case_id, "not_support")
    review = request_review(upper, registrar.case(case_id)["tracking_number"])
    # A 复查 holds no hearing under XF 36.2.
    body = upper.complete(review["id"], "answer_review", {"answer_action": "hearing",
                                                          "hearing_started_on": office_today()}, status=422)
    assert "第三十六条第二款" in body["fields"]["answer_action"]
    answer(upper, review["id"])
    issued_days_ago(review["id"], "review_opinion", 12)
    requested_on = (datetime.date.fromisoformat(office_today()) - datetime.timedelta(days=10)).isoformat()
    re_review = request_review(top, review["tracking_number"], kind="re_review", requested_on=requested_on)
    due_before = [d for d in top.case(re_review["id"])["deadlines"] if d["name"] == "answer"][0]["due_date"]
    started = (datetime.date.fromisoformat(office_today()) - datetime.timedelta(days=6)).isoformat()
    top.complete(re_review["id"], "answer_review", {"answer_action": "hearing", "hearing_started_on": started})
    body = top.complete(re_review["id"], "record_hearing", {"hearing_ended_on": requested_on,
                                                            "hearing_record": "听证会已举行"}, status=422)
    assert "不能早于开始日期" in body["fields"]["hearing_ended_on"]
    ended = (datetime.date.fromisoformat(office_today()) - datetime.timedelta(days=2)).isoformat()
    top.complete(re_review["id"], "record_hearing", {"hearing_ended_on": ended, "hearing_record": "听证会已举行"})
    clock = [d for d in top.case(re_review["id"])["deadlines"] if d["name"] == "answer"][0]
    # Paused from day 4 to day 8: the 4 days of the hearing are added to the due date.
    assert clock["due_date"] == (datetime.date.fromisoformat(due_before) + datetime.timedelta(days=4)).isoformat()
    assert any("听证" in line and "不计入" in line for line in clock["explanation"])
    answer(top, re_review["id"])
    assert top.case(re_review["id"])["status"] == "completed"


def test_the_offices_own_calendar_day_period_warns_when_it_ends_on_a_rest_day():
    """DOMAIN.md section 4 "Periods": strict calendar days for the office, with a warning on a rest day."""
    from workflows.calendar import WorkCalendar
    from workflows.clocks import compute, petition_intake
    cal = WorkCalendar.from_chinese_calendar([2026])
    deadline = compute(petition_intake(datetime.date(2026, 9, 16)), cal, datetime.date(2026, 9, 16))
    assert deadline.due_date == datetime.date(2026, 10, 1)  # 15 days, not moved past National Day
    assert deadline.explanation[-1] == "注意：到期日2026年10月1日为国庆节假日，本期限按自然日计算，不顺延"
    weekday = compute(petition_intake(datetime.date(2026, 9, 14)), cal, datetime.date(2026, 9, 14))
    assert not any("不顺延" in line for line in weekday.explanation)  # 2026-09-29 is a working day
