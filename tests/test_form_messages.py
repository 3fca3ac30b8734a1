"""Every validation message a form can give is plain Chinese naming the field.

The scan walks every form in bpmn/forms and provokes every kind of refusal its schema can make (a
missing required field, each branch of its ``allOf`` left unfilled, a wrong type, too long or too short,
a broken pattern or format, a value outside the choices, too many or repeated choices, a number out of
range, a field the form does not have, a case fact typed in): no message may carry an English word, a
regular expression or a Python repr (jsonschema's own messages carry all three).
"""
import re
from pathlib import Path

import pytest

from workflows.forms import form_fields, load_schema, validate_submission

FORMS = sorted((Path(__file__).resolve().parent.parent / "bpmn" / "forms").glob("*.json"))
LATIN = re.compile(r"[A-Za-z]")
REPR_OR_REGEX = re.compile(r"[\^$\\{}\[\]']|None|True|False")


def _wrong_values(prop: dict) -> list:
    """Values that break each constraint the property declares."""
    kind = prop.get("type")
    bad = [{"string": 12345, "integer": "twelve", "number": "twelve", "boolean": "maybe",
            "array": "not-a-list", "object": "not-an-object"}.get(kind, None)]
    if "maxLength" in prop:
        bad.append("字" * (prop["maxLength"] + 1))
    if prop.get("minLength", 0) > 0:
        bad.append("")
    if "pattern" in prop or "format" in prop:
        bad += ["12345", "not a value at all"]
    if "oneOf" in prop or "enum" in prop or "const" in prop:
        bad.append("no_such_choice")
    for key, step in (("minimum", -1), ("exclusiveMinimum", 0), ("maximum", 1), ("exclusiveMaximum", 0)):
        if key in prop:
            bad.append(prop[key] + step)
    if kind == "array":
        items = prop.get("items", {})
        choices = [o.get("const") for o in items.get("oneOf", [])] or items.get("enum", []) or ["甲"]
        bad += [["no_such_choice"], [choices[0], choices[0]], [12345], choices * (prop.get("maxItems", 50) + 1)]
        if prop.get("minItems"):
            bad.append([])
    return bad


def _condition_met(cond: dict) -> dict:
    """A submission under which the ``if`` of a branch holds."""
    data = {}
    for name, sub in (cond.get("properties") or {}).items():
        if "const" in sub:
            data[name] = sub["const"]
        elif "enum" in sub:
            data[name] = sub["enum"][0]
        elif "contains" in sub and "const" in sub["contains"]:
            data[name] = [sub["contains"]["const"]]
    return data


def _provocations(schema: dict):
    props = schema.get("properties", {})
    yield "an empty form", {}
    yield "a field the form does not have", {"no_such_field": "x"}
    for clause in schema.get("allOf", []):
        yield f"the branch {clause['if']}", _condition_met(clause["if"])
    for name, prop in props.items():
        if prop.get("readOnly"):
            yield f"case fact {name} typed in", {name: "x"}
            continue
        for value in _wrong_values(prop):
            yield f"{name} = {value!r}", {name: value}


@pytest.mark.parametrize("path", FORMS, ids=[p.stem for p in FORMS])
def test_every_validation_message_of_every_form_is_plain_chinese_naming_the_field(path):
    schema = load_schema(path.read_bytes())
    labels = {n: p.get("title", n) for n, p in schema["properties"].items()}
    custom = {p["x-message"] for p in schema["properties"].values() if "x-message" in p}
    seen = 0
    for what, data in _provocations(schema):
        for name, message in validate_submission(schema, data).items():
            seen += 1
            plain = message
            for label in labels.values():
                plain = plain.replace(label, "")  # a field's own title may hold a letter (none does today)
            assert not LATIN.search(plain), f"{path.name}, {what}: English in {message!r}"
            assert not REPR_OR_REGEX.search(plain), f"{path.name}, {what}: a pattern or repr in {message!r}"
            if name in labels and message not in custom:
                assert labels[name] in message, f"{path.name}, {what}: {message!r} does not name the field"
    assert seen, f"{path.name}: nothing was provoked"


def test_a_pattern_and_a_format_are_explained_without_the_regular_expression():
    registration = load_schema((FORMS[0].parent / "registration.json").read_bytes())
    errors = validate_submission(registration, {"applicant_type": "legal_person", "org_credit_code": "12345",
                                                "contact_email": "zhangsan-at-example"})
    assert errors["org_credit_code"] == "统一社会信用代码应为18位，由数字和大写英文字母组成"
    assert errors["contact_email"] == "“电子邮箱”格式不正确，应为电子邮箱地址"


def test_limits_are_said_in_words():
    schema = {"type": "object", "properties": {
        "note": {"type": "string", "title": "备注", "maxLength": 3},
        "pages": {"type": "integer", "title": "页数", "minimum": 1},
        "picked": {"type": "array", "title": "选项", "uniqueItems": True, "items": {"type": "string"}}}}
    errors = validate_submission(schema, {"note": "四个汉字", "pages": 0, "picked": ["甲", "甲"]})
    assert errors == {"note": "“备注”不能超过 3 个字", "pages": "“页数”不能小于 1", "picked": "“选项”中有重复的选项"}
    assert validate_submission(schema, {"pages": "十"}) == {"pages": "“页数”应填写整数"}


def test_the_report_cycle_is_chosen_from_plain_periods_not_typed_as_iso_8601():
    schema = load_schema((FORMS[0].parent / "supervision_registration.json").read_bytes())
    cycle = next(f for f in form_fields(schema) if f.name == "report_cycle")
    assert cycle.widget == "select"
    assert [(c.value, c.label) for c in cycle.choices] == [
        ("P7D", "每周"), ("P14D", "每两周"), ("P1M", "每月"), ("P3M", "每季度")]
    assert "ISO" not in cycle.help
    assert validate_submission(schema, {"report_cycle": "P5D"})["report_cycle"] == "“进展报送周期”的取值不在可选范围内"


# -- conditional fields: which branch brings a field in ------------------------------------------------

def _fields(name):
    return {f.name: f for f in form_fields(load_schema((FORMS[0].parent / name).read_bytes()))}


def test_a_field_of_an_if_then_branch_knows_the_choice_that_brings_it_in():
    handle = _fields("handle.json")
    assert handle["handling_action"].show_when == []  # always asked
    assert handle["extension_reason"].show_when == [
        {"properties": {"handling_action": {"const": "request_extension"}}, "required": ["handling_action"]}]
    assert handle["extension_reason"].required_when == handle["extension_reason"].show_when
    # A reason's own explanation follows the reason being ticked; it is not required by the schema.
    assert handle["reason_detail_state_secret"].show_when == [
        {"properties": {"withholding_reasons": {"contains": {"const": "state_secret"}}},
         "required": ["withholding_reasons"]}]
    assert handle["reason_detail_state_secret"].required_when == []


def test_an_else_branch_brings_its_fields_in_when_the_condition_fails():
    registration = _fields("registration.json")
    natural = {"properties": {"applicant_type": {"const": "natural_person"}}, "required": ["applicant_type"]}
    assert registration["id_number"].show_when == [natural]
    assert registration["org_credit_code"].show_when == [{"not": natural}]
    assert registration["applicant_name"].show_when == []


def test_a_condition_the_page_cannot_evaluate_leaves_the_field_always_shown():
    schema = load_schema({"type": "object", "properties": {
        "amount": {"type": "integer", "title": "金额"}, "reason": {"type": "string", "title": "理由"}},
        "allOf": [{"if": {"properties": {"amount": {"minimum": 100}}, "required": ["amount"]},
                   "then": {"required": ["reason"]}}]})
    reason = next(f for f in form_fields(schema) if f.name == "reason")
    assert reason.show_when == [] and reason.required_when == []


@pytest.mark.parametrize("broken", [b"<bpmn:definitions><bpmn:process></bpmn:definitions>", b"<bpmn", b"", b"\xff\xfe"])
def test_a_malformed_bpmn_file_is_explained_without_the_xml_parsers_english(broken):
    from workflows.xml import XmlRefused, parse_bpmn_xml
    with pytest.raises(XmlRefused) as refused:
        parse_bpmn_xml(broken)
    message = str(refused.value)
    assert message.startswith("XML 格式错误：第 ")
    assert not LATIN.search(message.replace("XML", "", 1)), message
