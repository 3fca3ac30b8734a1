"""GET /api/v1/processes: what an integrator may register, with the start form to fill."""
from .helpers import REGISTRATION, Api


def _by_key(api):
    return {p["key"]: p for p in api.ok(api.get("/processes"))}


def test_processes_list_every_deployed_process_with_its_start_form(client):
    catalogue = _by_key(Api(client, "officer"))
    assert {"disclosure_request", "petition", "supervision"} <= set(catalogue)
    disclosure = catalogue["disclosure_request"]
    assert disclosure["version"] >= 1 and disclosure["title"]
    assert set(REGISTRATION) <= set(disclosure["start_form"]["properties"])
    assert disclosure["may_start"] is True


def test_may_start_follows_the_start_lane(client):
    officer, xfofficer, auditor = (_by_key(Api(client, n)) for n in ("officer", "xfofficer", "auditor"))
    # Petitions are registered by the petition office only; auditors register nothing.
    assert officer["petition"]["may_start"] is False
    assert xfofficer["petition"]["may_start"] is True
    assert not any(p["may_start"] for p in auditor.values())


def test_processes_need_authentication(client):
    response = client.get("/api/v1/processes")
    assert response.status_code == 401 and "error" in response.get_json()
