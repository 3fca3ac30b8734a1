"""Attachments: uploaded files kept beside the case (never in the engine state).

Every upload is one transaction: the case is locked, the uploader checked, the
bytes checked (size and type *by content*, never by the file's name), stored
with their SHA-256 and recorded in the case history.  Anything that fails
leaves nothing behind: no row, no history event, the case version unchanged.

Files uploaded through a task form's attachment field
(``{"type": "integer", "format": "attachment"}``, or an array of those) are
stored in the same transaction as the task's completion
(:func:`complete_task`): when the completion is refused, the files go too.
"""
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from workflows.forms import is_attachment

from ..extensions import db
from ..models import Attachment, Case, HumanTask, Incident, User
from . import access, cases, history, processes
from .cases import command
from .errors import EngineFailure, Forbidden, Invalid, NotFound
from .locking import lock_case

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
UPLOADER_ROLES = ("officer", "head")
ALLOWED_TYPES = "PDF、PNG、JPEG、TIFF、Word（.docx）、Excel（.xlsx）、OFD、纯文本（UTF-8）"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain; charset=utf-8"
# mime type -> the file name extensions that fit it (the first is appended when the name has none of them)
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/tiff": (".tif", ".tiff"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    "application/ofd": (".ofd",),
    TEXT: (".txt", ".csv", ".md", ".log"),
}


@dataclass
class Checked:
    """An upload that passed the checks, not yet stored."""

    filename: str
    mime_type: str
    content: bytes
    sha256: str


def max_bytes() -> int:
    return int(current_app.config.get("MAX_ATTACHMENT_BYTES") or DEFAULT_MAX_BYTES)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


# -- the checks ----------------------------------------------------------

_UNSAFE = re.compile(r'[<>:"/\\|?*]')


def sanitize_filename(name: str | None) -> str:
    """The file's own name, safe to store and to send back: no folders, no control characters.

    Chinese (any letter) is kept; ``../../x.pdf`` and ``C:\\x\\y.pdf`` become
    ``x.pdf`` and ``y.pdf``; invisible format characters (e.g. the right-to-left
    override that disguises ``exe.pdf``) are removed.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return "附件"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:200 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:200]
    return name


def _zip_type(content: bytes) -> tuple[str | None, str]:
    """OOXML (docx/xlsx) or OFD inside a ZIP container, else why not."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if "OFD.xml" in names:
            return "application/ofd", "OFD"
        if "[Content_Types].xml" in names:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                return None, "异常的 Office 文档"
            types = archive.read(info).decode("utf-8", "replace")
            if "macroEnabled" in types:
                return None, "含宏的 Office 文档"
            if "wordprocessingml.document.main" in types:
                return DOCX, "Word 文档"
            if "spreadsheetml.sheet.main" in types:
                return XLSX, "Excel 工作簿"
            if "presentationml" in types:
                return None, "PowerPoint 演示文稿"
            return None, "其他 Office Open XML 文档"
        return None, "ZIP 压缩包"
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, ValueError, OSError):
        return None, "损坏的 ZIP 文件"


_REFUSED_MAGIC = [
    (b"\x7fELF", "Linux 可执行程序（ELF）"),
    (b"MZ", "Windows 可执行程序（EXE/DLL）"),
    (b"\xca\xfe\xba\xbe", "可执行程序（Mach-O/Java）"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行程序（Mach-O）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档（.doc/.xls，请另存为 .docx/.xlsx 或 PDF）"),
    (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"BM", "BMP 图片"),
    (b"RIFF", "RIFF 媒体文件"),
    (b"{\\rtf", "RTF 文档"),
]


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # control characters other than tab, newlines, form feed


def detect_type(content: bytes) -> tuple[str | None, str]:
    """``(mime type, description)`` judged from the bytes; the mime type is None when not accepted."""
    if content.startswith(b"%PDF-"):
        return "application/pdf", "PDF"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "PNG 图片"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "JPEG 图片"
    if content.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff", "TIFF 图片"
    if content.startswith(b"PK\x03\x04"):
        return _zip_type(content)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or _CONTROL.search(text):
        for magic, description in _REFUSED_MAGIC:
            if content.startswith(magic):
                return None, description
        return None, "无法识别的二进制文件" if text is None else "含控制字符的二进制文件"
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith("#!"):
        return None, "脚本文件"
    if head.startswith(("<!doctype html", "<html", "<svg", "<?xml", "<script")):
        return None, "网页或 XML/SVG 文件"
    return TEXT, "纯文本"


def _read(stream_or_bytes, limit: int) -> bytes:
    if isinstance(stream_or_bytes, (bytes, bytearray, memoryview)):
        return bytes(stream_or_bytes)
    stream = getattr(stream_or_bytes, "stream", stream_or_bytes)  # a werkzeug FileStorage or a file
    return stream.read(limit + 1)  # one byte more than allowed is enough to refuse


def check(filename: str | None, stream_or_bytes, field: str | None = None) -> Checked:
    """Read and check one upload; raise :class:`Invalid` (naming ``field`` when given)."""
    name = sanitize_filename(filename)
    limit = max_bytes()
    content = _read(stream_or_bytes, limit)

    def refuse(message):
        raise Invalid(message, {field or "file": message})

    if not content:
        refuse(f"文件“{name}”是空的")
    if len(content) > limit:
        refuse(f"文件“{name}”过大：上限为 {human_size(limit)}")
    mime_type, description = detect_type(content)
    if mime_type is None:
        refuse(f"不支持的文件类型：“{name}”的内容是{description}，不论文件名如何都不能上传。"
               f"允许的类型：{ALLOWED_TYPES}")
    if not name.lower().endswith(EXTENSIONS[mime_type]):
        # The stored name never claims another type than the content has.
        name = sanitize_filename(name + EXTENSIONS[mime_type][0])
    return Checked(name, mime_type, content, hashlib.sha256(content).hexdigest())


# -- who may ----------------------------------------------------------------

def may_upload(user: User, case: Case) -> bool:
    return (user.is_authenticated and user.is_active and user.has_role(*UPLOADER_ROLES)
            and access.can_view_case(user, case))


def _require_upload(user: User, case: Case) -> None:
    access.require_view(user, case)
    if user.has_role("auditor") and not user.has_role(*UPLOADER_ROLES):
        raise Forbidden("审计人员只能查看，不能上传附件")
    if not user.has_role(*UPLOADER_ROLES):
        raise Forbidden("只有办事人员或负责人可以上传附件")


# -- commands ------------------------------------------------------------------

def _commit():
    db.session.commit()


def _store(user: User, case: Case, checked: Checked, *, task_id: str | None, field: str | None) -> Attachment:
    """Add the row and its history event to the open transaction (the caller holds the case lock)."""
    attachment = Attachment(case_id=case.id, task_id=task_id, field=field, filename=checked.filename,
                            mime_type=checked.mime_type, size=len(checked.content), sha256=checked.sha256,
                            content=checked.content, uploaded_by_id=user.id)
    db.session.add(attachment)
    db.session.flush()
    history.record(case, "attachment_added", user,
                   f"上传附件：{checked.filename}（{human_size(len(checked.content))}）",
                   {"attachment_id": attachment.id, "filename": checked.filename, "size": len(checked.content),
                    "sha256": checked.sha256, "mime_type": checked.mime_type, "field": field},
                   task_id=task_id)
    return attachment


@command
def upload(user: User, case_id: int, filename: str | None, stream_or_bytes, task_id: str | None = None,
           field: str | None = None) -> Attachment:
    """Attach one file to a case; refused with :class:`Invalid`/:class:`Forbidden`, leaving nothing behind."""
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFound("案件不存在")
    _require_upload(user, case)  # before reading up to 20 MiB
    checked = check(filename, stream_or_bytes, field)
    case = lock_case(case_id)
    _require_upload(user, case)
    if task_id is not None:
        task = db.session.get(HumanTask, task_id)
        if task is None or task.case_id != case.id:
            raise NotFound("该案件没有这个任务")
    attachment = _store(user, case, checked, task_id=task_id, field=field)
    case.version += 1
    _commit()
    return attachment


def _hidden(user: User, case: Case, attachment: Attachment) -> bool:
    """Files the registering department filed on a case whose confidential fields ``user`` may not read.

    What the petition office files with an accusation (the letter, an ID scan)
    names the reporter; the department being reported on must not see it
    (XF 30, 46). Files a department adds itself stay visible to it.
    """
    from .reading import filed_by_registrar, hidden_keys
    return bool(hidden_keys(user, case)) and filed_by_registrar(case, attachment.uploaded_by)


def get(user: User, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("附件不存在")
    case = db.session.get(Case, attachment.case_id)
    access.require_view(user, case, "附件不存在")
    if _hidden(user, case, attachment):
        raise Forbidden("该附件可能透露检举控告人的身份，只有登记部门和审计人员可以查看")
    from .reading import _require_intact
    _require_intact("attachment", attachment)
    return attachment


def for_case(case: Case, user: User) -> list[Attachment]:
    """The case's attachments ``user`` may see, oldest first (the caller has checked the case may be seen)."""
    found = db.session.execute(
        select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)).scalars()
    return [a for a in found if not _hidden(user, case, a)]


# -- attachment fields of task forms ------------------------------------------

def attachment_fields(schema: dict | None) -> dict[str, bool]:
    """``{property: takes several files}`` for the form's attachment properties."""
    return {name: prop.get("type") == "array" for name, prop in (schema or {}).get("properties", {}).items()
            if is_attachment(prop) and not prop.get("readOnly")}


def _check_references(case: Case, fields: dict[str, bool], data: dict) -> None:
    """Attachment ids submitted as data must be attachments of this very case."""
    errors = {}
    for name in fields:
        value = data.get(name)
        ids = value if isinstance(value, list) else [value]
        ids = [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]
        if not ids:
            continue  # absent, or of the wrong type: the form's validation names it
        found = set(db.session.execute(select(Attachment.id).where(
            Attachment.id.in_(ids), Attachment.case_id == case.id)).scalars())
        if set(ids) - found:
            errors[name] = "所引用的附件不存在或不属于本案件"
    if errors:
        raise Invalid("表单填写有误，请检查标出的字段", errors)


@command
def complete_task(user: User, task_id: str, data: dict, case_version: int | None,
                  uploads: dict[str, list] | None = None):
    """Complete a task whose form may carry files: the uploads and the completion are one transaction.

    ``uploads`` maps an attachment property to ``[(filename, stream_or_bytes), …]``.
    The files are checked first, then stored (without a version bump of their
    own) and their ids put into ``data``; then :func:`cases.complete_task`
    runs in the same transaction and commits.  If it refuses (invalid form,
    stale version, task gone) everything is rolled back, files included.  If
    a service task after it fails and an incident keeps the submission for a
    retry, the files are stored again in a transaction of their own and the
    incident's retry refers to them.
    """
    row = db.session.get(HumanTask, task_id)
    if row is None:
        raise NotFound("任务不存在")
    fields = attachment_fields(processes.definition(row.case.process_version).form_for(row.spec_name))
    data = dict(data)
    uploads = {name: [f for f in files if f is not None] for name, files in (uploads or {}).items()}
    uploads = {name: files for name, files in uploads.items() if files}
    checked: dict[str, list[Checked]] = {}
    for name, files in uploads.items():
        if name not in fields:
            raise Invalid(f"表单没有附件字段“{name}”", {name: "未知的附件字段"})
        if not fields[name] and len(files) > 1:
            raise Invalid("表单填写有误，请检查标出的字段", {name: "只能上传一个文件"})
        checked[name] = [check(filename, content, name) for filename, content in files]
    if checked and case_version is not None:
        case, row = cases._lock_task(user, task_id, case_version)  # the same checks and messages as completing
        _require_upload(user, case)
        for name, items in checked.items():
            ids = [_store(user, case, c, task_id=task_id, field=name).id for c in items]
            data[name] = ids if fields[name] else ids[0]
    _check_references(row.case, fields, {k: v for k, v in data.items() if k not in checked})
    try:
        return cases.complete_task(user, task_id, data, case_version)
    except EngineFailure as exc:
        incident = getattr(exc, "incident", None)
        if checked and incident is not None:
            _keep_for_incident(user, row.case_id, task_id, incident.id, fields, checked)
        raise


def _keep_for_incident(user, case_id, task_id, incident_id, fields, checked) -> None:
    """The failed step was rolled back with its files; store them again for the incident's retry."""
    try:
        case = lock_case(case_id)
        ids = {name: [_store(user, case, c, task_id=task_id, field=name).id for c in items]
               for name, items in checked.items()}
        case.version += 1
        incident = db.session.get(Incident, incident_id)
        retry = dict(incident.retry or {})
        retry["data"] = {**retry.get("data", {}),
                         **{name: v if fields[name] else v[0] for name, v in ids.items()}}
        incident.retry = retry
        _commit()
    except Exception:  # noqa: BLE001 - the incident itself is already recorded; do not mask it
        db.session.rollback()
        current_app.logger.exception("could not keep the uploaded files of task %s for its incident", task_id)
