"""Task forms: JSON Schema beside the BPMN, one renderer, server-side validation."""
import json
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from app.disclosure import codes
from workflows.forms import (FormSchemaInvalid, coerce_submission, form_fields, labelled_values, load_schema,
                             validate_submission)

FORMS = Path(__file__).resolve().parent.parent / "bpmn" / "forms"


def schema(name):
    return load_schema((FORMS / name).read_bytes())


def consts(prop):
    return [o["const"] for o in prop["oneOf"]]


def test_every_bundled_form_is_a_valid_object_schema():
    for path in FORMS.glob("*.json"):
        assert load_schema(path.read_bytes())["type"] == "object", path.name


def test_reply_type_and_reason_pickers_offer_exactly_the_codes_of_the_regulation():
    handle = schema("handle.json")["properties"]
    assert consts(handle["reply_type"]) == list(codes.REPLY_TYPES)
    assert consts(handle["withholding_reasons"]["items"]) == list(codes.WITHHOLDING_REASONS)
    registration = schema("registration.json")["properties"]
    assert consts(registration["channel"]) == list(codes.CHANNELS)
    assert consts(registration["applicant_type"]) == list(codes.APPLICANT_TYPES)


def test_missing_required_fields_are_named_in_chinese():
    errors = validate_submission(schema("registration.json"), {"applicant_type": "natural_person"})
    assert errors["applicant_name"] == "请填写“申请人姓名或名称”"
    assert "id_number" in errors  # natural persons give an identity document


def test_organisations_give_a_credit_code_instead_of_an_id():
    form = schema("registration.json")
    data = {"applicant_name": "某公司", "applicant_type": "commercial_enterprise", "channel": "online",
            "received_on": "2026-03-02", "description": "x", "requested_form": "paper", "delivery_method": "post"}
    assert "org_credit_code" in validate_submission(form, data)
    assert validate_submission(form, {**data, "org_credit_code": "91110000600037341L"}) == {}
    assert "org_credit_code" in validate_submission(form, {**data, "org_credit_code": "123"})


def test_unknown_fields_and_bad_dates_are_refused():
    form = schema("check_completeness.json")
    assert "_form" in validate_submission(form, {"needs_correction": False, "extension_used": True})
    errors = validate_submission(form, {"needs_correction": True, "correction_items": "x",
                                        "correction_deadline": "2026-02-30"})
    assert "correction_deadline" in errors


def test_read_only_case_facts_cannot_be_submitted_but_are_checked():
    form = schema("handle.json")
    assert "extension_used" in validate_submission(form, {"handling_action": "draft_reply", "reply_type": "disclosed",
                                                          "extension_used": False})
    request = {"handling_action": "request_extension", "extension_reason": "复杂"}
    assert validate_submission(form, request, case_data={"extension_used": False}) == {}
    assert "不得再次延期" in validate_submission(form, request, case_data={"extension_used": True})["extension_used"]


def test_html_strings_are_coerced_to_the_declared_types():
    form = schema("handle.json")
    posted = MultiDict([("handling_action", "draft_reply"), ("reply_type", "withheld"),
                        ("withholding_reasons", "state_secret"), ("withholding_reasons", "internal_affairs"),
                        ("reply_text", "  "), ("extension_used", "true")])
    data = coerce_submission(form, posted.get, posted.getlist)
    assert data == {"handling_action": "draft_reply", "reply_type": "withheld",
                    "withholding_reasons": ["state_secret", "internal_affairs"]}
    flag = coerce_submission(schema("check_completeness.json"), MultiDict({"needs_correction": "false"}).get,
                             MultiDict().getlist)
    assert flag == {"needs_correction": False}


def test_renderer_fields_follow_the_schema():
    fields = {f.name: f for f in form_fields(schema("handle.json"))}
    assert fields["reply_type"].widget == "select" and fields["reply_type"].choices[1].label == "予以公开"
    assert fields["withholding_reasons"].widget == "checkboxes"
    assert fields["reply_text"].widget == "textarea"
    assert "extension_used" not in fields  # read-only facts are not inputs
    assert fields["handling_action"].required


def test_case_data_is_shown_with_labels_not_codes():
    rows = labelled_values([schema("handle.json")], {"reply_type": "withheld",
                                                     "withholding_reasons": ["state_secret", "internal_affairs"],
                                                     "handle_result": {"x": 1}})
    assert ("reply_type", "答复类型", "不予公开") in rows
    assert ("withholding_reasons", "不予公开的理由（可多选）", "属于国家秘密、属于三类内部事务信息") in rows
    assert all(key != "handle_result" for key, _, _ in rows)


def test_a_form_that_is_not_json_schema_is_refused():
    with pytest.raises(FormSchemaInvalid):
        load_schema(b"{not json")
    with pytest.raises(FormSchemaInvalid):
        load_schema(json.dumps({"type": "object", "properties": {"a": {"type": "nonsense"}}}))
