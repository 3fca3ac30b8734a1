"""Helpers for the public side's tests: a member of the public filing and looking up, and the office's API."""
from .helpers import Api

# A valid resident ID (GB 11643 check digit) and a valid unified social credit code (GB 32100).
RESIDENT_ID = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"

DISCLOSURE = {
    "applicant_type": "natural_person",
    "applicant_name": "王小明",
    "id_type": "resident_id",
    "id_number": RESIDENT_ID,
    "contact_phone": "13800138000",
    "contact_email": "wangxm@example.com",
    "description": "2025年度本市老旧小区改造项目清单",
    "requested_form": "electronic",
    "delivery_method": "online",
}
PETITION = {
    "petitioner_name": "赵六",
    "id_number": RESIDENT_ID,
    "contact_phone": "13900139000",
    "contact_address": "示范市和平路12号",
    "category": "claim",
    "subject": "小区旁工地夜间施工噪声扰民",
    "content": "工地连续两周在夜间22时后施工，请求责令停止夜间施工。",
}


def file_online(client, path, data, status=201):
    response = client.post(f"/api/public/v1/{path}", json=data)
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def look_up(client, tracking_number, query_code, status=200):
    response = client.get(f"/api/public/v1/cases/{tracking_number}", query_string={"query_code": query_code})
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def case_id_of(officer: Api, tracking_number: str) -> int:
    tasks = officer.ok(officer.get("/tasks", query_string={"scope": "inbox", "tracking": tracking_number}))
    assert tasks, f"{tracking_number} is not in {officer.username}'s inbox"
    return tasks[0]["case_id"]
