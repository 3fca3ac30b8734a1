"""What proactive disclosure adds to the generic commands, reached through :mod:`app.families`.

- ``check_start``: the drafting department is the registering officer's (later steps are routed to it, and its
  head approves publication); the item is not yet published.
- ``check_submission``: an item to publish has a body or at least one attached file (GIO 19–20: what is
  published must be there to read); a published item's content changes only through a correction (更正), which
  goes through review and approval again — so the case never says something the catalogue does not.
"""
from __future__ import annotations

# Tasks whose submission carries the item's content, and the content fields of the maintenance form.
_CONTENT_TASKS = ("prepare_item", "maintain_item")
_CONTENT_FIELDS = {"title": "标题", "body": "正文", "legal_basis": "公开依据", "files": "附件"}


def check_start(user, data: dict) -> tuple[dict, dict]:
    if user.department is None:
        return {}, {"_form": "起草主动公开信息须由所属部门登记：您的账号没有所属部门"}
    return {"drafting_department": user.department.code, "is_published": False}, {}


def check_submission(user, case, task, data: dict) -> tuple[dict, dict]:
    if task.spec_name not in _CONTENT_TASKS:
        return {}, {}
    if task.spec_name == "maintain_item" and data.get("maintenance_action") != "correct":
        changed = {key: f"只有选择“更正”才能修改已公开信息的{label}"
                   for key, label in _CONTENT_FIELDS.items() if key in data and data[key] != case.data.get(key)}
        return {}, changed
    merged = {**case.data, **data}
    if not str(merged.get("body") or "").strip() and not merged.get("files"):
        return {}, {"body": "正文和附件至少提供一项"}
    return {}, {}
