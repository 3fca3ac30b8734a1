"""Hostile input is refused at the door, with a message naming the field, before any view or database sees it.

- NUL characters: PostgreSQL cannot store them in text or JSONB (a 500 deep inside a command otherwise),
  and no person types one; refused in the path, query, form fields, file names and JSON.
- JSON nested deeper than ``MAX_JSON_DEPTH``: Python's parser and everything after it recurse; no form of this
  application nests more than a few levels.
- Lone UTF-16 surrogates (``"\\ud800"`` in JSON): not text; no database can store them.
"""
import json
import re

from flask import jsonify, render_template, request

MAX_JSON_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Refused(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def _check_text(value: str, field: str) -> None:
    if "\x00" in value:
        raise Refused(f"“{field}”含有不允许的控制字符（NUL）", field)
    if _SURROGATE.search(value):
        raise Refused(f"“{field}”含有无效的字符（孤立的 UTF-16 代理项）", field)


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON ``text`` (brackets inside strings ignored)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _walk(value, field: str) -> None:
    stack = [(value, field)]
    while stack:
        item, name = stack.pop()
        if isinstance(item, str):
            _check_text(item, name)
        elif isinstance(item, dict):
            for key, sub in item.items():
                _check_text(key, name)
                stack.append((sub, key))
        elif isinstance(item, list):
            stack.extend((sub, name) for sub in item)


def _check_json() -> None:
    raw = request.get_data(cache=True)
    if not raw:
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("请求体不是有效的 UTF-8 编码 JSON") from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise Refused(f"JSON 嵌套层数过多（最多 {MAX_JSON_DEPTH} 层）")
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        return  # not JSON at all: the view answers "the body must be a JSON object"
    _walk(body, "请求体")


def check_request() -> None:
    """Raise :class:`Refused` for NUL, lone surrogates or over-deep JSON anywhere in the request."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            _check_text(value, name)
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            _check_text(name, name)
            _check_text(value, name)
    for name, file in request.files.items(multi=True):
        _check_text(file.filename or "", name)
    if request.is_json:
        _check_json()


def register(app) -> None:
    @app.before_request
    def refuse_hostile_input():
        try:
            check_request()
        except Refused as exc:
            if request.path.startswith("/api/"):
                body = {"error": exc.message}
                if exc.field:
                    body["fields"] = {exc.field: "含有不允许的字符"}
                return jsonify(body), 422
            return render_template("error.html", message=exc.message), 400
        return None
