"""Small helpers that let the tests read like the office's procedure."""
import re
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

from app.extensions import db
from app.services import users

REGISTRATION = {
    "applicant_name": "张三",
    "applicant_type": "natural_person",
    "id_type": "resident_id",
    "id_number": "110101199001011234",
    "contact_phone": "13800000000",
    "contact_address": "示范市幸福路8号",
    "channel": "online",
    "received_on": "2026-03-02",
    "description": "2025年度本市老旧小区改造项目清单",
    "requested_form": "electronic",
    "delivery_method": "email",
    "contact_email": "zhangsan@example.com",
}


def office_today() -> str:
    """Today in the office's time zone, as the ledger records it (ISO date)."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


class Api:
    """A bearer-token API client for one demo user."""

    def __init__(self, client, username):
        self.client = client
        self.username = username
        token = users.create_token(username)
        db.session.commit()
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path, **kw):
        return self.client.get(f"/api/v1{path}", headers=self.headers, **kw)

    def post(self, path, json=None):
        return self.client.post(f"/api/v1{path}", headers=self.headers, json=json)

    def ok(self, response, status=200):
        assert response.status_code == status, (response.status_code, response.get_json())
        return response.get_json()

    # -- the procedure ---------------------------------------------------
    def register(self, **overrides):
        data = {**REGISTRATION, **overrides}
        return self.ok(self.post("/cases", {"process": "disclosure_request", "data": data}), 201)

    def case(self, case_id):
        return self.ok(self.get(f"/cases/{case_id}"))

    def open_task(self, case_id, spec_name=None):
        tasks = [t for t in self.case(case_id)["tasks"] if t["state"] == "ready"]
        if spec_name:
            tasks = [t for t in tasks if t["spec_name"] == spec_name]
        assert len(tasks) == 1, tasks
        return tasks[0]

    def complete(self, case_id, spec_name, data, status=200):
        task = self.open_task(case_id, spec_name)
        version = self.case(case_id)["version"]
        response = self.post(f"/tasks/{task['id']}/complete", {"data": data, "case_version": version})
        return self.ok(response, status)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    # Join lines: CJK sentences wrap anywhere, and checks look for whole phrases.
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))
