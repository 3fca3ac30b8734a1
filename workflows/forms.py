"""Task forms: JSON Schema files beside the BPMN.

One schema describes a form completely: field types, Chinese labels
(``title``), help (``description``), choices (``oneOf`` of ``const``/``title``),
and conditional requirements (``allOf`` of ``if``/``then``).  The server
validates every submission with ``jsonschema``; the UI renders every form from
the same schema through :func:`form_fields`, so there is one renderer for all
processes.
"""
import copy
import json
from datetime import date
from dataclasses import dataclass, field
from typing import Any, Callable

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

_FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


class FormSchemaInvalid(ValueError):
    pass


def load_schema(raw: bytes | str | dict) -> dict:
    """Parse and check a form schema; raise :class:`FormSchemaInvalid`."""
    try:
        schema = raw if isinstance(raw, dict) else json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FormSchemaInvalid(f"表单不是合法的 JSON：{exc}") from None
    if isinstance(schema, dict) and "type" not in schema:
        # Form builders often leave out the top-level type; a form is always an object of fields.
        schema = {"type": "object", **schema}
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise FormSchemaInvalid('表单的顶层必须是 {"type": "object"}')
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise FormSchemaInvalid(f"表单不是合法的 JSON Schema：{exc.message}") from None
    return schema


@dataclass
class Choice:
    value: Any
    label: str


@dataclass
class Field:
    """What the generic renderer needs to draw one input."""

    name: str
    label: str
    widget: str  # text, textarea, date, number, integer, select, radio, checkboxes, checkbox, file
    required: bool = False
    help: str = ""
    choices: list = field(default_factory=list)
    default: Any = None
    multiple: bool = False  # a file field taking several files
    # The ``if`` schemas (or ``{"not": if}`` for ``else``) of the ``allOf`` clauses that bring the field in:
    # the page shows it only while one of them holds.  Empty: always shown.
    show_when: list = field(default_factory=list)
    # Those of them that make it required: the page marks it with ``*`` while one holds.
    required_when: list = field(default_factory=list)


def _choices(prop: dict) -> list:
    if "oneOf" in prop:
        return [Choice(o.get("const"), o.get("title", str(o.get("const")))) for o in prop["oneOf"]]
    if "enum" in prop:
        return [Choice(v, str(v)) for v in prop["enum"]]
    return []


def _choice_slots(schema: dict | None):
    """``(property name, the schema holding x-choices, is it an array's items)`` for each live choice list."""
    for name, prop in (schema or {}).get("properties", {}).items():
        if isinstance(prop.get("x-choices"), str):
            yield name, prop, False
        elif isinstance(prop.get("items", {}).get("x-choices"), str):
            yield name, prop["items"], True


def choice_sources(schema: dict | None) -> set[str]:
    """The names of the live choice lists a form asks for (``"x-choices": "departments"``)."""
    return {holder["x-choices"] for _, holder, _ in _choice_slots(schema)}


def with_choices(schema: dict, sources: dict[str, list[tuple[str, str]]]) -> dict:
    """A copy of ``schema`` whose ``x-choices`` properties (or array items) offer ``sources[name]`` as ``oneOf``.

    The choices are data the application owns (departments…); filling them in
    as ``oneOf`` lets the one renderer show a select (or checkboxes) and
    ``jsonschema`` refuse anything else, as for choices written into the form.
    """
    props = dict(schema.get("properties", {}))
    for name, holder, in_items in _choice_slots(schema):
        if holder["x-choices"] not in sources:
            continue
        filled = {**holder, "oneOf": [{"const": code, "title": label} for code, label in sources[holder["x-choices"]]]}
        props[name] = {**props[name], "items": filled} if in_items else filled
    return {**schema, "properties": props}


def is_attachment(prop: dict) -> bool:
    """An uploaded file (its value is the attachment's id), or a list of them."""
    return prop.get("format") == "attachment" or (
        prop.get("type") == "array" and prop.get("items", {}).get("format") == "attachment")


def _widget(prop: dict) -> str:
    kind = prop.get("type")
    if is_attachment(prop):
        return "file"
    if kind == "array":
        return "checkboxes"
    if kind == "boolean":
        return "radio"
    if _choices(prop):
        return "select"
    if kind in ("integer", "number"):
        return kind
    if prop.get("format") == "date":
        return "date"
    if prop.get("x-widget") == "textarea" or prop.get("maxLength", 0) > 200:
        return "textarea"
    return "text"


# What the page's script (app/static/js/forms.js) can evaluate in an ``if``: a condition using anything
# else leaves its fields always shown (the server judges the submission in any case).
_CONDITION_KEYWORDS = {"properties", "required", "not"}
_VALUE_KEYWORDS = {"const", "enum", "contains", "type", "title", "description"}


def _simple_condition(cond) -> bool:
    if not isinstance(cond, dict) or not set(cond) <= _CONDITION_KEYWORDS:
        return False
    if "not" in cond and not _simple_condition(cond["not"]):
        return False
    for sub in (cond.get("properties") or {}).values():
        if not isinstance(sub, dict) or not set(sub) <= _VALUE_KEYWORDS:
            return False
        if "contains" in sub and not (isinstance(sub["contains"], dict) and set(sub["contains"]) <= _VALUE_KEYWORDS - {"contains"}):
            return False
    return True


def _branches(schema: dict) -> tuple[dict, dict, set]:
    """``(shown, required, unsure)`` from the form's ``allOf`` of ``if``/``then``/``else``.

    ``shown[name]`` lists the conditions under which a branch names the field (in its ``required`` or its
    ``properties``), ``required[name]`` those under which it is required; ``unsure`` holds the fields some
    branch names under a condition the page cannot evaluate (they stay always shown).
    """
    shown: dict[str, list] = {}
    required: dict[str, list] = {}
    unsure: set[str] = set()
    clauses = list(schema.get("allOf") or [])
    if "if" in schema:
        clauses.append(schema)
    for clause in clauses:
        if not isinstance(clause, dict) or "if" not in clause:
            continue
        for branch, cond in (("then", clause["if"]), ("else", {"not": clause["if"]})):
            part = clause.get(branch)
            if not isinstance(part, dict):
                continue
            names = set(part.get("required") or []) | set(part.get("properties") or {})
            for name in names:
                if not _simple_condition(cond):
                    unsure.add(name)
                shown.setdefault(name, []).append(cond)
                if name in (part.get("required") or []):
                    required.setdefault(name, []).append(cond)
    return shown, required, unsure


def form_fields(schema: dict) -> list[Field]:
    """The inputs of a form, in the schema's order, each knowing when the form's branches bring it in."""
    required = set(schema.get("required", []))
    shown, required_when, unsure = _branches(schema)
    fields = []
    for name, prop in schema.get("properties", {}).items():
        if prop.get("readOnly"):
            continue  # case facts the form checks but nobody types in
        widget = _widget(prop)
        choices = _choices(prop.get("items", {})) if widget == "checkboxes" else _choices(prop)
        if widget == "radio":
            choices = [Choice(True, prop.get("x-true", "是")), Choice(False, prop.get("x-false", "否"))]
        fields.append(
            Field(name, prop.get("title", name), widget, name in required,
                  prop.get("description", ""), choices, prop.get("default"),
                  multiple=widget == "file" and prop.get("type") == "array",
                  show_when=[] if name in required or name in unsure else shown.get(name, []),
                  required_when=[] if name in required or name in unsure else required_when.get(name, []))
        )
    return fields


def coerce_submission(schema: dict, get: Callable[[str], str | None],
                      getlist: Callable[[str], list]) -> dict:
    """Turn HTML form strings into typed values as the schema declares them.

    Empty inputs are left out, so "required" is reported by validation rather
    than passed on as an empty string.  Values that do not convert are kept as
    strings so that validation names the field.
    """
    data = {}
    for name, prop in schema.get("properties", {}).items():
        if prop.get("readOnly") or is_attachment(prop):
            continue  # files arrive as uploads, not as strings: the caller stores them and adds their ids
        kind = prop.get("type")
        if kind == "array":
            values = [v for v in getlist(name) if v != ""]
            if values:
                data[name] = values
            continue
        raw = get(name)
        if raw is None or raw.strip() == "":
            continue
        raw = raw.strip()
        if kind == "boolean":
            data[name] = {"true": True, "false": False}.get(raw, raw)
        elif kind in ("integer", "number"):
            try:
                data[name] = int(raw) if kind == "integer" else float(raw)
            except ValueError:
                data[name] = raw
        else:
            data[name] = raw
    return data


def with_defaults(schema: dict | None, data: dict, case_data: dict | None = None) -> dict:
    """The submission with the form's defaults applied: a field left out (and not already in the case) takes
    the property's ``default``.  BPMN expressions name form fields directly, so an optional field that was
    simply not sent must still exist for them (e.g. ``co_departments`` on supervision, default ``[]``).
    Call after validation, which judges what was actually submitted.  (Fields without a default stay absent:
    a null would then fail the type check of the next form that shows the same field, and print as "None".)"""
    if not schema:
        return data
    filled = dict(data)
    for name, prop in schema.get("properties", {}).items():
        if name in filled or name in (case_data or {}) or prop.get("readOnly") or "default" not in prop:
            continue
        filled[name] = copy.deepcopy(prop["default"])
    return filled


def validate_submission(schema: dict, data: dict, case_data: dict | None = None,
                        today: date | None = None) -> dict[str, str]:
    """Return ``{field: message}`` for every problem; empty when valid.

    The schema is checked against the submission laid over the case's current
    values of the form's fields, so rules can depend on the case: a
    ``readOnly`` property is never accepted from the submitter but its case
    value is validated (e.g. "only one extension" is ``extension_used``
    declared ``readOnly`` with ``const: false``), and ``x-message`` on a
    property gives the sentence shown when it fails.  A date property marked
    ``x-not-future`` may not lie after ``today`` (a receipt cannot be tomorrow).
    """
    props = schema.get("properties", {})
    errors: dict[str, str] = {}
    for name in data:
        if props.get(name, {}).get("readOnly"):
            errors[name] = f"“{props[name].get('title', name)}”不能由办理人填写"
    if today is not None:
        for name, value in data.items():
            prop = props.get(name, {})
            if prop.get("x-not-future") and isinstance(value, str) and value[:10] > today.isoformat():
                errors[name] = f"“{prop.get('title', name)}”不能晚于今天（{today.isoformat()}）"
    merged = {k: v for k, v in (case_data or {}).items() if k in props and k not in data}
    merged.update(data)
    validator = Draft202012Validator(schema, format_checker=_FORMAT_CHECKER)
    labels = {n: p.get("title", n) for n, p in props.items()}
    for error in validator.iter_errors(merged):
        if error.validator == "required":
            # "required" errors are reported on the object; name each missing field.
            for missing in error.validator_value:
                if missing not in (error.instance or {}):
                    errors.setdefault(missing, f"请填写“{labels.get(missing, missing)}”")
            continue
        name = error.absolute_path[0] if error.absolute_path else "_form"
        custom = props.get(name, {}).get("x-message") if isinstance(name, str) else None
        errors.setdefault(str(name), custom or _message(error, labels.get(name, name)))
    return errors


# How a format is named to the person filling in the form (jsonschema's format names are English).
_FORMAT_NAMES = {
    "date": "日期，如 2026-03-02", "date-time": "日期和时间，如 2026-03-02 09:30", "time": "时间，如 09:30",
    "email": "电子邮箱地址", "uri": "网址", "duration": "期间",
    "idn-email": "电子邮箱地址", "ipv4": "IP 地址", "uuid": "编号",
}
# What a value should be, for a type error.
_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "“是”或“否”",
               "array": "一组选项", "object": "一组内容"}


def _message(error, label: str) -> str:
    """A plain-Chinese sentence naming the field: never jsonschema's English, a regular expression or a repr."""
    kind, limit = error.validator, error.validator_value
    if kind in ("enum", "oneOf", "const", "anyOf"):
        return f"“{label}”的取值不在可选范围内"
    if kind == "format":
        return f"“{label}”格式不正确，应为{_FORMAT_NAMES.get(limit, '规定的格式')}"
    if kind == "pattern":
        return f"“{label}”格式不正确，请按填写说明填写"
    if kind == "type":
        wanted = limit if isinstance(limit, str) else (limit or ["string"])[0]
        return f"“{label}”应填写{_TYPE_NAMES.get(wanted, '正确类型的内容')}"
    if kind == "minLength":
        return f"请填写“{label}”" if limit <= 1 else f"“{label}”至少应有 {limit} 个字"
    sentences = {
        "maxLength": f"“{label}”不能超过 {limit} 个字",
        "minItems": f"“{label}”至少应选择 {limit} 项",
        "maxItems": f"“{label}”最多只能选择 {limit} 项",
        "minimum": f"“{label}”不能小于 {limit}",
        "maximum": f"“{label}”不能大于 {limit}",
        "exclusiveMinimum": f"“{label}”应大于 {limit}",
        "exclusiveMaximum": f"“{label}”应小于 {limit}",
        "multipleOf": f"“{label}”应为 {limit} 的整数倍",
        "uniqueItems": f"“{label}”中有重复的选项",
        "contains": f"“{label}”缺少必须选择的项",
        "additionalProperties": "表单含有本环节没有的字段，请刷新页面后重新填写",
        "unevaluatedProperties": "表单含有本环节没有的字段，请刷新页面后重新填写",
    }
    return sentences.get(kind, f"“{label}”不符合填写要求")


def labelled_values(schemas, data: dict) -> list[tuple[str, str, str]]:
    """``(key, label, display value)`` for case data, labelled by the process's forms.

    Keys no form declares (engine bookkeeping such as ``*_result``) are left
    out; choice codes are shown with their labels.  A ``readOnly`` property
    (a fact the process computes) is shown only when it says ``x-show``.
    """
    props: dict = {}
    for schema in schemas:
        for name, prop in schema.get("properties", {}).items():
            if not prop.get("readOnly") or prop.get("x-show"):
                props.setdefault(name, prop)
    rows = []
    for name, prop in props.items():
        if name not in data or data[name] in (None, "", []):
            continue
        value = data[name]
        choices = {c.value: c.label for c in _choices(prop.get("items", prop))}
        if is_attachment(prop):
            shown = "附件 " + "、".join(f"#{v}" for v in (value if isinstance(value, list) else [value]))
        elif isinstance(value, bool):
            shown = prop.get("x-true", "是") if value else prop.get("x-false", "否")
        elif isinstance(value, list):
            shown = "、".join(str(choices.get(v, v)) for v in value)
        else:
            shown = str(choices.get(value, value))
        rows.append((name, prop.get("title", name), shown))
    return rows


def decision_words(schema: dict | None, data: dict, limit: int = 2) -> str:
    """What a submission decided, in words, for the history: ``下一步：拟办答复，送保密审查；答复类型：不予公开``.

    The first ``limit`` single choices (a select or a yes/no) the submission made, labelled by the form;
    fields the form may hide from some readers (``x-confidential-when``) are never named here, since a
    history summary is shown to everyone who sees the case.
    """
    parts = []
    for name, prop in (schema or {}).get("properties", {}).items():
        if name not in data or prop.get("readOnly") or prop.get("x-confidential-when") or is_attachment(prop):
            continue
        if prop.get("type") == "array" or not (_choices(prop) or prop.get("type") == "boolean"):
            continue
        for _, label, shown in labelled_values([{"properties": {name: prop}}], {name: data[name]}):
            parts.append(f"{label}：{shown}")
        if len(parts) >= limit:
            break
    return "；".join(parts)


def prefilled(schema: dict | None, values: dict) -> dict:
    """The values a task form opens with: a property saying ``"x-default-from": "<case key>"`` starts from that
    case value while it has none of its own (送达方式 from the way the applicant asked to receive the reply)."""
    filled = dict(values)
    for name, prop in (schema or {}).get("properties", {}).items():
        source = prop.get("x-default-from")
        if isinstance(source, str) and filled.get(name) in (None, "", []) and filled.get(source) not in (None, "", []):
            filled[name] = filled[source]
    return filled
