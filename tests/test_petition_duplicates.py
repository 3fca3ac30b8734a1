"""Duplicate petitions (重复信访, XF 19): the officer deciding intake sees the likely duplicates ranked by
petitioner identity and content, links the petition to an earlier one or dismisses them, and a repeat of a
matter still handled within its time limit is not accepted again."""
import pytest

from app.petition import duplicates

from .helpers import Api, office_today
from .petition_fixture import FIXTURE
from .test_petition_lifecycle import PETITION, letter, register
from .test_web import login


@pytest.fixture
def registrar(client):
    return Api(client, "xfofficer")


def suggestions(api, case_id):
    """The intake task's suggestions as the API gives them: ``[(tracking number, score), …]`` best first."""
    task = api.ok(api.get(f"/tasks/{api.open_task(case_id, 'intake_decision')['id']}"))
    return [(s["tracking_number"], s["score"]) for s in task["context"]["suggestions"]["items"]]


def test_the_ranking_finds_the_known_duplicates_of_the_fixture(registrar):
    """54 petitions registered in order; the top suggestion of each is compared with the known duplicates."""
    assert len(FIXTURE) >= 50
    number_of, key_of, truth = {}, {}, {}
    for key, data, dups in FIXTURE:
        case = registrar.ok(registrar.post("/cases", {"process": "petition", "data": data}), 201)
        number_of[key], key_of[case["tracking_number"]], truth[key] = case["id"], key, dups
    suggested = correct = 0
    true_scores, false_scores = [], []
    for key, _data, dups in FIXTURE:
        found = suggestions(registrar, number_of[key])
        if found:
            suggested += 1
            top = key_of[found[0][0]]
            correct += top in dups
            (true_scores if top in dups else false_scores).append(found[0][1])
    expected = sum(1 for _k, _d, dups in FIXTURE if dups)
    precision = correct / suggested if suggested else 0.0
    recall = correct / expected
    print(f"\nduplicate check on {len(FIXTURE)} petitions ({expected} known repeats), threshold "
          f"{duplicates.THRESHOLD}: top suggestions made {suggested}, correct {correct}; "
          f"precision {precision:.3f}, recall {recall:.3f}; lowest correct score {min(true_scores or [0]):.3f}")
    # The margin: the best score an earlier petition that is *not* a repeat gets (neighbours on the same
    # matter, the same person's other matters), straight from the scoring.
    worst = 0.0
    for i, (key, data, dups) in enumerate(FIXTURE):
        for other, earlier, _ in FIXTURE[:i]:
            if other not in dups:
                worst = max(worst, duplicates.score(data, earlier).score)
    print(f"highest score of a non-duplicate pair {worst:.3f}")
    assert precision >= 0.9 and recall >= 0.9
    assert worst < duplicates.THRESHOLD


def test_id_numbers_compare_across_their_written_forms():
    assert duplicates.normalise_id("110101 19680307 1215") == duplicates.normalise_id("110101196803071215")
    assert duplicates.normalise_id("11010519720415302x") == duplicates.normalise_id("11010519720415302X")
    # The old 15-digit number (no century, no check digit) is the same person as the 18-digit one.
    assert duplicates.normalise_id("110101680307121") == duplicates.normalise_id("110101196803071215")
    assert duplicates.normalise_phone("+86 139-0101-0001") == "13901010001"


def test_someone_elses_petition_on_the_same_matter_is_not_a_repeat():
    mine = {**PETITION}
    neighbour = {**PETITION, "petitioner_name": "王五", "id_number": "110101197001011111",
                 "contact_phone": "13700000000"}
    assert duplicates.score(mine, neighbour).score < duplicates.THRESHOLD
    assert duplicates.score(mine, {**PETITION, "id_number": "110101 19850505 1234"}).score >= duplicates.THRESHOLD


def decide(api, case_id, status=200, **data):
    return api.complete(case_id, "intake_decision", {"intake_decided_on": office_today(), **data}, status)


def test_the_officer_sees_the_suggestions_and_links_or_dismisses_them(registrar, client):
    # An earlier petition received in March: its 15-day intake period has long passed.
    earlier = register(registrar)
    again = register(registrar, subject="工地晚上施工太吵", content="工地最近每天晚上十点以后还在施工，要求制止夜间施工。",
                     id_number="110101 19850505 1234", received_on=office_today())
    (top, score), = suggestions(registrar, again["id"])
    assert top == earlier["tracking_number"] and score >= duplicates.THRESHOLD
    # The task page shows them too, with the reasons.
    task_id = registrar.open_task(again["id"], "intake_decision")["id"]
    page = login(client, "xfofficer").get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "可能重复的信访事项" in page and earlier["tracking_number"] in page and "身份证件号码相同" in page

    # A tracking number that names no other petition is refused.
    body = decide(registrar, again["id"], 422, intake_decision="accept", handling_unit="GKB",
                  duplicate_of="XF-2026-999999")
    assert "duplicate_of" in body["fields"]
    body = decide(registrar, again["id"], 422, intake_decision="accept", handling_unit="GKB",
                  duplicate_of=again["tracking_number"])
    assert "duplicate_of" in body["fields"]
    # The server, not the officer, records whether it is a duplicate.
    body = decide(registrar, again["id"], 422, intake_decision="accept", handling_unit="GKB",
                  is_duplicate=False)
    assert "is_duplicate" in body["fields"]

    # Linked to a matter no longer within its time limit: accepted again, and counted as a duplicate.
    decide(registrar, again["id"], intake_decision="accept", handling_unit="GKB",
           duplicate_of=earlier["tracking_number"])
    data = registrar.case(again["id"])["data"]
    assert data["is_duplicate"] is True and data["duplicate_of"] == earlier["tracking_number"]
    assert data["duplicates_dismissed"] == []

    # Dismissed: decided without a link; what was suggested is kept for the record.
    third = register(registrar, received_on=office_today())
    assert [n for n, _ in suggestions(registrar, third["id"])][:1] in ([earlier["tracking_number"]],
                                                                        [again["tracking_number"]])
    decide(registrar, third["id"], intake_decision="accept", handling_unit="GKB")
    data = registrar.case(third["id"])["data"]
    assert data["is_duplicate"] is False
    assert set(data["duplicates_dismissed"]) == {earlier["tracking_number"], again["tracking_number"]}

    # An unrelated petition of another person gets no suggestion.
    other = register(registrar, petitioner_name="赵六", id_number="110101199912120000", contact_phone="13600000000",
                     subject="建议延长图书馆开放时间", content="市图书馆周末下午五点闭馆，建议延长至晚上八点。")
    assert suggestions(registrar, other["id"]) == []


def test_the_body_handling_a_matter_links_a_repeat_and_tells_the_petitioner_it_is_being_handled(registrar, tmp_path):
    """DOMAIN.md section 4 "Duplicates": XF 19.3 bars only a superior body; the same body does not refuse a
    repeat under XF 19 (it was the old behaviour), it links it to the open case and says so in writing."""
    earlier = register(registrar, received_on=office_today())
    decide(registrar, earlier["id"], intake_decision="accept", handling_unit="GKB", handling_department="政务公开办")
    handling = [d for d in registrar.case(earlier["id"])["deadlines"] if d["name"] == "handling"]
    assert handling[0]["state"] == "running"

    again = register(registrar, received_on=office_today(), content="夜间施工噪声问题仍未解决，再次反映。")
    assert suggestions(registrar, again["id"])[0][0] == earlier["tracking_number"]
    link = {"duplicate_of": earlier["tracking_number"]}
    for refused in ({"intake_decision": "accept", "handling_unit": "GKB", "handling_department": "政务公开办"},
                    {"intake_decision": "forward", "handling_department": "示范区人民政府"},
                    {"intake_decision": "not_accept", "not_accept_ground": "repeat_in_progress"}):
        body = decide(registrar, again["id"], 422, **refused, **link)
        assert "并入原事项办理" in body["fields"]["intake_decision"], body
    # Linking needs the earlier petition's number.
    body = decide(registrar, again["id"], 422, intake_decision="repeat")
    assert "duplicate_of" in body["fields"]

    decide(registrar, again["id"], intake_decision="repeat", **link)
    case = registrar.case(again["id"])
    assert case["status"] == "completed" and case["data"]["is_duplicate"] is True
    assert [d["kind"] for d in case["documents"]] == ["repeat_notice"]
    _doc, text = letter(registrar, again["id"], "repeat_notice", tmp_path)
    assert "信访事项正在办理告知书" in text and earlier["tracking_number"] in text and "一并办理" in text
    assert "不予受理" not in text and "第十九条" not in text


def test_only_a_superior_body_refuses_a_repeat_of_a_matter_handled_below_within_its_limit(app, client, registrar,
                                                                                          tmp_path):
    """XF 19.3: the petitioner takes the same matter to the body above while it is handled below."""
    from app.extensions import db
    from app.models import Department, LaneAssignment
    from sqlalchemy import select
    upper_dept = db.session.execute(select(Department).where(Department.code == "SJ")).scalar_one()
    db.session.add(LaneAssignment(process_key="petition", lane="信访登记", role="officer", department=upper_dept))
    db.session.commit()
    upper = Api(client, "reviewer_up")  # an officer of 示范市人民政府, the body above the office

    earlier = register(registrar, received_on=office_today())
    decide(registrar, earlier["id"], intake_decision="accept", handling_unit="GKB", handling_department="政务公开办")
    again = register(upper, received_on=office_today(), content="夜间施工噪声问题仍未解决，向上级反映。")
    link = {"duplicate_of": earlier["tracking_number"]}
    body = decide(upper, again["id"], 422, intake_decision="repeat", **link)
    assert "第十九条" in body["fields"]["intake_decision"]
    body = decide(upper, again["id"], 422, intake_decision="accept", handling_unit="GKB", **link)
    assert "第十九条" in body["fields"]["intake_decision"]
    decide(upper, again["id"], intake_decision="not_accept", not_accept_ground="repeat_in_progress", **link)
    doc, text = letter(upper, again["id"], "not_accept_notice", tmp_path)
    assert "信访事项不予受理告知书" in text and earlier["tracking_number"] in text and "《信访工作条例》第十九条" in text
    # The superior body speaks under its own name and series.
    assert "示范市人民政府" in text and "示范市人民政府办公室" not in text and doc["number"].startswith("示政信不〔")
