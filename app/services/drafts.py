"""The modeler's commands: drafts per process and supervisor, validation, deployment, upload.

Only supervisors (and admins) model processes.  A draft is free-form storage
(it may be invalid: a supervisor saves half-done work); validation and
deployment go through the same checks as ``flask deploy``, and nothing is
stored when they fail.
"""
from sqlalchemy import select

from workflows.forms import FormSchemaInvalid, load_schema
from workflows.renaming import rename_process
from workflows.specs import SpecInvalid, load_definition, main_process
from workflows.validation import SpecError
from workflows.xml import MAX_BPMN_BYTES, NSMAP, XmlRefused, parse_bpmn_xml

from ..extensions import db
from ..models import ProcessDraft, ProcessVersion, User
from . import processes
from .cases import command
from .errors import Forbidden, Invalid
from .operators import OPERATORS

MODELER_ROLES = ("supervisor", "admin")
MAX_FORM_BYTES = 256 * 1024
MAX_FORMS = 100
MAX_NOTE = 2000


def may_model(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*MODELER_ROLES)


def require_modeler(user: User) -> None:
    if not may_model(user):
        raise Forbidden("只有流程管理员可以编辑和部署流程")


def overview(user: User) -> list[dict]:
    """Every deployed process with its newest version and whether ``user`` has a draft of it."""
    require_modeler(user)
    drafts = {d.process_key: d for d in db.session.execute(
        select(ProcessDraft).where(ProcessDraft.user_id == user.id)).scalars()}
    deployed = processes.deployed_keys()
    keys = {v.process_key for v in deployed}
    new = [{"version": None, "draft": d, "key": d.process_key, "name": _diagram_name(d.bpmn, d.process_key)}
           for key, d in sorted(drafts.items()) if key not in keys]
    return [{"version": v, "draft": drafts.get(v.process_key), "key": v.process_key, "name": v.name}
            for v in deployed] + new


def _draft(user: User, process_key: str) -> ProcessDraft | None:
    return db.session.execute(select(ProcessDraft).where(
        ProcessDraft.process_key == process_key, ProcessDraft.user_id == user.id)).scalar_one_or_none()


def _latest(process_key: str) -> ProcessVersion | None:
    return db.session.execute(select(ProcessVersion).where(ProcessVersion.process_key == process_key)
                              .order_by(ProcessVersion.version.desc()).limit(1)).scalar_one_or_none()


def _latest_or_own_draft(user: User, process_key: str) -> ProcessVersion | None:
    """The newest version; None for a process that exists only as this user's draft (a new process)."""
    latest = _latest(process_key)
    if latest is None and _draft(user, process_key) is None:
        processes.latest(process_key)  # raises NotFound with the usual message
    return latest


def open_process(user: User, process_key: str) -> dict:
    """What the modeler loads: the user's draft if there is one, else the newest version."""
    require_modeler(user)
    latest = _latest_or_own_draft(user, process_key)
    draft = _draft(user, process_key)
    source = draft or latest
    return {
        "process_key": process_key, "name": latest.name if latest else _diagram_name(draft.bpmn, process_key),
        "version": latest.version if latest else None,
        # A new process is shown with its problems marked from the start: it was opened to be fixed.
        "validate_on_open": latest is None,
        "bpmn": source.bpmn.decode("utf-8"), "forms": dict(source.forms or {}),
        "draft": draft is not None,
        "draft_saved_at": draft.updated_at.isoformat() if draft else None,
        # A draft opened from an older version would undo what was deployed since.
        "draft_stale": bool(draft and latest and draft.base_version_id != latest.id),
        "operators": operator_catalogue(),
    }


def operator_catalogue() -> dict:
    """Service operators and their parameters, for the properties panel's choices."""
    return {name: {"required": sorted(op.required), "optional": sorted(op.optional),
                   "description": op.description}
            for name, op in sorted(OPERATORS.operators.items())}


def _clean(bpmn, forms) -> tuple[bytes, dict[str, str]]:
    """Check the shape and sizes of what the browser sent (not its meaning: that is validation)."""
    if not isinstance(bpmn, str) or not bpmn.strip():
        raise Invalid("缺少 BPMN 内容")
    raw = bpmn.encode("utf-8")
    if len(raw) > MAX_BPMN_BYTES:
        raise Invalid(f"BPMN 文件超过 {MAX_BPMN_BYTES // 1024} KB 上限")
    forms = forms or {}
    if not isinstance(forms, dict) or len(forms) > MAX_FORMS:
        raise Invalid("表单列表格式不正确")
    cleaned = {}
    for name, text in forms.items():
        if not isinstance(name, str) or not isinstance(text, str) or not _form_name_ok(name):
            raise Invalid(f"表单文件名“{name}”不合法：只能用字母、数字、下划线和连字符，以 .json 结尾")
        if len(text.encode("utf-8")) > MAX_FORM_BYTES:
            raise Invalid(f"表单 {name} 超过 {MAX_FORM_BYTES // 1024} KB 上限")
        cleaned[name] = text
    return raw, cleaned


def _form_name_ok(name: str) -> bool:
    stem = name[:-5] if name.endswith(".json") else ""
    return 0 < len(stem) <= 95 and all(c.isascii() and (c.isalnum() or c in "_-") for c in stem)


@command
def save_draft(user: User, process_key: str, bpmn, forms) -> ProcessDraft:
    require_modeler(user)
    latest = _latest_or_own_draft(user, process_key)
    raw, cleaned = _clean(bpmn, forms)
    draft = _draft(user, process_key)
    if draft is None:
        draft = ProcessDraft(process_key=process_key, user_id=user.id)
        db.session.add(draft)
        draft.base_version_id = latest.id if latest else None
    draft.bpmn, draft.forms = raw, cleaned
    db.session.commit()
    return draft


@command
def discard_draft(user: User, process_key: str) -> None:
    require_modeler(user)
    draft = _draft(user, process_key)
    if draft is not None:
        db.session.delete(draft)
        db.session.commit()


def _errors(bpmn: bytes, forms: dict[str, str], process_key: str) -> list[SpecError]:
    """Every problem deployment would refuse, each naming its element."""
    try:
        root = parse_bpmn_xml(bpmn)
    except XmlRefused as exc:
        return [SpecError("", "", str(exc))]
    ids = [p.get("id") for p in root.iterfind("bpmn:process", NSMAP)]
    if process_key not in ids:
        return [SpecError("", "", f"文件中的流程标识为 {', '.join(filter(None, ids)) or '（无）'}，"
                                  f"不是 {process_key}；请在对应流程下上传")]
    try:
        load_definition(bpmn, {n: t.encode("utf-8") for n, t in forms.items()}, operators=OPERATORS,
                        lane_known=processes.lane_checker(process_key))
    except SpecInvalid as exc:
        return list(exc.errors)
    return []


def validate(user: User, process_key: str, bpmn, forms) -> list[SpecError]:
    require_modeler(user)
    _latest_or_own_draft(user, process_key)
    raw, cleaned = _clean(bpmn, forms)
    return _errors(raw, cleaned, process_key)


@command
def deploy(user: User, process_key: str, bpmn, forms, note: str,
           other_origin: bool = False) -> tuple[ProcessVersion, bool]:
    """Deploy the edited process as a new version; returns (version, whether it is new).

    Raises :class:`SpecInvalid` (nothing stored) when the process is invalid.
    The user's draft of this process is removed once it is deployed.
    """
    require_modeler(user)
    note = (note or "").strip()
    if not note:
        raise Invalid("请填写变更说明", {"note": "部署新版本必须写明改了什么、为什么改"})
    if len(note) > MAX_NOTE:
        raise Invalid(f"变更说明不能超过 {MAX_NOTE} 字")
    before = _latest_or_own_draft(user, process_key)
    raw, cleaned = _clean(bpmn, forms)
    errors = _errors(raw, cleaned, process_key)
    if errors:
        raise SpecInvalid(errors)
    version = processes.deploy(raw, {n: t.encode("utf-8") for n, t in cleaned.items()}, actor=user, note=note,
                               other_origin=other_origin)
    draft = _draft(user, process_key)
    if draft is not None:
        db.session.delete(draft)
    db.session.commit()
    return version, before is None or version.id != before.id


@command
def upload(user: User, process_key: str, data: bytes) -> ProcessDraft:
    """Take a BPMN file made elsewhere as the user's draft, if it validates; otherwise change nothing.

    Forms come from the user's draft, or the newest version: an uploaded file
    refers to forms by name.
    """
    require_modeler(user)
    latest = _latest_or_own_draft(user, process_key)
    if len(data) > MAX_BPMN_BYTES:
        raise SpecInvalid([SpecError("", "", f"文件超过 {MAX_BPMN_BYTES // 1024} KB 上限")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecInvalid([SpecError("", "", "文件不是 UTF-8 编码的 BPMN XML")]) from None
    draft = _draft(user, process_key)
    forms = dict(((draft or latest).forms if (draft or latest) else None) or {})
    errors = _errors(data, forms, process_key)
    if errors:
        raise SpecInvalid(errors)
    return save_draft(user, process_key, text, forms)


def check_form(text) -> tuple[dict | None, str | None]:
    """(schema, None) when ``text`` is a usable form schema, else (None, the reason)."""
    if not isinstance(text, str):
        return None, "缺少表单内容"
    if len(text.encode("utf-8")) > MAX_FORM_BYTES:
        return None, f"表单超过 {MAX_FORM_BYTES // 1024} KB 上限"
    try:
        return load_schema(text), None
    except FormSchemaInvalid as exc:
        return None, str(exc)


def error_dicts(errors: list[SpecError]) -> list[dict]:
    return [{"element_id": e.element_id, "element_name": e.element_name, "message": e.message,
             "text": str(e)} for e in errors]


def version_of(user: User, process_key: str) -> ProcessVersion:
    require_modeler(user)
    return processes.latest(process_key)


def page_of(user: User, process_key: str) -> dict:
    """What the modeler page shows in its heading: the process's name, key and newest version (None if new)."""
    require_modeler(user)
    latest = _latest_or_own_draft(user, process_key)
    if latest is not None:
        return {"process_key": process_key, "name": latest.name, "version": latest.version}
    return {"process_key": process_key, "name": _diagram_name(_draft(user, process_key).bpmn, process_key),
            "version": None}


def _diagram_name(bpmn: bytes, default: str) -> str:
    try:
        return main_process(parse_bpmn_xml(bpmn)).get("name") or default
    except (XmlRefused, SpecInvalid):
        return default


@command
def new_from_file(user: User, data: bytes, process_key: str | None = None) -> ProcessDraft:
    """Open a BPMN file made elsewhere as a new process: the user's draft under a key no process uses.

    The diagram may be invalid (it is opened to be fixed, with every problem marked); only a file that is
    not readable BPMN XML is refused.  Without ``process_key`` the file's own process id is the key; a
    key already deployed or drafted is refused (naming the field), and another key renames the process.
    """
    require_modeler(user)
    if len(data) > MAX_BPMN_BYTES:
        raise Invalid(f"文件超过 {MAX_BPMN_BYTES // 1024} KB 上限", {"file": "文件过大"})
    try:
        text = data.decode("utf-8")
        root = parse_bpmn_xml(data)
        own_key = main_process(root).get("id")
    except UnicodeDecodeError:
        raise Invalid("文件不是 UTF-8 编码的 BPMN XML", {"file": "请以 UTF-8 保存后再上传"}) from None
    except XmlRefused as exc:
        raise Invalid(f"无法读取文件：{exc}", {"file": str(exc)}) from None
    except SpecInvalid as exc:
        raise Invalid(f"无法确定文件中的流程：{exc}", {"file": str(exc)}) from None
    key = (process_key or "").strip() or own_key
    taken = _latest(key) is not None or db.session.execute(
        select(ProcessDraft.id).where(ProcessDraft.process_key == key)).first() is not None
    if taken:
        raise Invalid(f"流程标识“{key}”已被使用（已部署或有人正在起草）：请另取一个流程标识",
                      {"process_key": "流程标识已被使用"})
    if key != own_key:
        try:
            text = rename_process(data, key).decode("utf-8")
        except SpecInvalid as exc:
            raise Invalid(str(exc), {"process_key": str(exc)}) from None
    draft = ProcessDraft(process_key=key, user_id=user.id, base_version_id=None, bpmn=text.encode("utf-8"), forms={})
    db.session.add(draft)
    db.session.commit()
    return draft
