"""Property-based testing of /api/v1 against its own OpenAPI document (schemathesis): for examples generated
from the schema — valid and invalid — no response is a 5xx, and every response fits the document (status code,
content type, body schema, declared headers).  The number of examples per operation is bounded so that the
whole run stays within about two minutes in CI (``API_FUZZ_EXAMPLES`` raises it for a deeper local run)."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from app.extensions import db
from app.services import users

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]


@pytest.fixture
def officer_headers(app):
    # A registered case, so generated ids sometimes hit something real.
    from .helpers import Api
    Api(app.test_client(), "officer").register()
    token = users.create_token("officer")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_api_never_fails_and_keeps_its_contract(app, officer_headers):
    # (schemathesis's pytest plugin does not run under this pytest; the operations are driven directly.)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, examples = [], 0
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            nonlocal examples
            examples += 1
            case.call_and_validate(headers=officer_headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 — collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    print(f"\nschemathesis: {examples} examples over {len(operations)} operations, {len(failures)} failing")
    assert not failures, "\n\n".join(failures)
