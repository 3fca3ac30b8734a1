"""Every registered disclosure request gets a registration receipt (登记回执, DOMAIN 2.5): the tracking number,
the receipt date that starts the clock (GIO 31), the statutory reply period (GIO 33) and the contact."""
from .helpers import Api, pdf_text


def test_registering_a_request_issues_its_receipt_with_number_dates_period_and_contact(client, tmp_path):
    officer = Api(client, "officer")
    case = officer.register(received_on="2026-03-02", channel="in_person")
    case = officer.case(case["id"])
    (receipt,) = [doc for doc in case["documents"] if doc["kind"] == "registration_receipt"]
    assert receipt["title"] == "政府信息公开申请登记回执"
    text = pdf_text(officer.get(f"/documents/{receipt['id']}").data, tmp_path)

    assert "示范市人民政府办公室政府信息公开申请登记回执" in text
    assert "张三：" in text
    assert "本机关于2026年3月2日收到您（当面）提出的政府信息公开申请" in text
    assert f"受理编号为{case['tracking_number']}" in text
    # Received Monday 2026-03-02: the 20th working day after it is Monday 2026-03-30.
    assert case["data"]["reply_due_date"] == "2026-03-30"
    assert "《中华人民共和国政府信息公开条例》第三十三条" in text
    assert "自收到申请之日起20个工作日内，即2026年3月30日前作出答复" in text
    assert "联系电话：010-12345678" in text and "联系地址：示范市人民路1号" in text
    assert "行政复议" not in text  # a receipt decides nothing
    # The history lists it, and the registration task still waits for the completeness check.
    history = officer.ok(officer.get(f"/cases/{case['id']}/history"))
    assert any(event["type"] == "document_generated" and "登记回执" in event["summary"] for event in history)
    assert officer.open_task(case["id"], "check_completeness")
