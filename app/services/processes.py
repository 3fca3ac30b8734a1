"""Deploying process versions and loading their parsed definitions.

The parsed definition of a version is cached in memory by content hash, so a
case command parses nothing; the BPMN bytes and forms in the database are the
source of truth.
"""
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from workflows.forms import choice_sources, with_choices
from workflows.specs import DefinitionCache, ProcessDefinition, SpecInvalid, load_definition, referenced_forms
from workflows.validation import SpecError
from workflows.xml import XmlRefused

from ..extensions import db
from ..models import Department, LaneAssignment, ProcessVersion, User
from . import lanes
from .errors import Conflict, Forbidden, NotFound
from .operators import OPERATORS

_cache = DefinitionCache()


def lane_checker(process_key: str | None):
    """A callable telling whether a lane maps to some role or department."""
    if process_key is None:
        return lambda lane: True
    lanes = set(db.session.execute(
        select(LaneAssignment.lane).where(LaneAssignment.process_key == process_key)
    ).scalars())
    return lambda lane: lane in lanes


def _forms_bytes(forms: dict) -> dict:
    return {name: text.encode("utf-8") if isinstance(text, str) else text for name, text in forms.items()}


def definition(version: ProcessVersion) -> ProcessDefinition:
    """The parsed definition of a deployed version (validated at deploy time)."""
    return _cache.get(version.content_hash, lambda: load_definition(
        version.bpmn, _forms_bytes(version.forms), operators=OPERATORS))


def latest(process_key: str) -> ProcessVersion:
    version = db.session.execute(
        select(ProcessVersion).where(ProcessVersion.process_key == process_key)
        .order_by(ProcessVersion.version.desc()).limit(1)
    ).scalar_one_or_none()
    if version is None:
        raise NotFound(f"流程“{process_key}”尚未部署")
    return version


def deployed_keys() -> list[ProcessVersion]:
    newest = select(ProcessVersion.process_key, func.max(ProcessVersion.version).label("v")) \
        .group_by(ProcessVersion.process_key).subquery()
    return list(db.session.execute(
        select(ProcessVersion).join(newest, (ProcessVersion.process_key == newest.c.process_key)
                                    & (ProcessVersion.version == newest.c.v))
        .order_by(ProcessVersion.process_key)).scalars())


def startable(user: User) -> list[ProcessVersion]:
    """The newest version of each process this user may register cases of (for the navigation)."""
    from .access import may_start
    return [v for v in deployed_keys() if may_start(user, v.process_key, definition(v).start_lane)]


def forms_beside(bpmn_path: Path, bpmn: bytes) -> dict[str, bytes]:
    """Load the forms a BPMN file references from its folder (or its forms/ subfolder)."""
    forms = {}
    for name in referenced_forms(bpmn):
        if "/" in name or "\\" in name or name.startswith("."):
            continue  # validation reports it as a missing form
        for candidate in (bpmn_path.parent / name, bpmn_path.parent / "forms" / name):
            if candidate.is_file():
                forms[name] = candidate.read_bytes()
                break
    return forms


class OtherOrigin(Conflict):
    """The file would become a new version of a process drawn elsewhere (another ``bpmn:definitions`` id)."""


def origin(bpmn: bytes) -> str | None:
    """Where a diagram comes from: the id of its ``bpmn:definitions``, which modelers keep across saves
    and make anew for each new diagram (two unrelated ``Process_1`` files have different ones)."""
    from workflows.xml import parse_bpmn_xml
    try:
        return parse_bpmn_xml(bpmn).get("id")
    except XmlRefused:
        return None


def deploy(bpmn: bytes, forms: dict[str, bytes], *, actor: User | None, note: str = "",
           check_lanes: bool = True, other_origin: bool = False) -> ProcessVersion:
    """Validate and store a new version; raise :class:`SpecInvalid` and store nothing if invalid.

    Deploying identical content again returns the existing newest version.  A file of another origin
    (see :func:`origin`) under an existing key raises :class:`OtherOrigin` unless ``other_origin``
    confirms it is meant to replace that process.
    """
    if actor is not None and not actor.has_role("supervisor", "admin"):
        raise Forbidden("只有流程管理员可以部署流程")
    try:
        process_key = _process_key(bpmn)
    except XmlRefused as exc:
        raise SpecInvalid([SpecError("", "", str(exc))]) from None
    parsed = load_definition(bpmn, forms, operators=OPERATORS,
                             lane_known=lane_checker(process_key) if check_lanes else None)
    newest = db.session.execute(
        select(ProcessVersion).where(ProcessVersion.process_key == parsed.process_id)
        .order_by(ProcessVersion.version.desc()).limit(1).with_for_update()
    ).scalar_one_or_none()
    if newest is not None and newest.content_hash == parsed.content_hash:
        return newest
    if newest is not None and not other_origin and origin(bpmn) != origin(newest.bpmn):
        raise OtherOrigin(
            f"流程标识“{parsed.process_id}”已有第 {newest.version} 版（{newest.name}），但这个文件来自另一张流程图"
            f"（定义标识 {origin(bpmn) or '无'}，已部署的是 {origin(newest.bpmn) or '无'}）。"
            "部署会让它成为该流程的新版本、取代原来的流程；如确属同一流程，请确认后再部署，否则请改用新的流程标识",
            {"other_origin": "需要确认"})
    version = ProcessVersion(
        process_key=parsed.process_id, version=(newest.version + 1) if newest else 1,
        name=parsed.name, bpmn=bpmn,
        forms={name: raw.decode("utf-8") for name, raw in forms.items() if name in parsed.forms},
        content_hash=parsed.content_hash, change_note=note,
        deployed_by_id=actor.id if actor else None,
        lane_assignments=lanes.snapshot(parsed.process_id, parsed.lanes + ((parsed.start_lane,) if parsed.start_lane else ())),
    )
    db.session.add(version)
    db.session.flush()
    current_app.logger.info("deployed %s v%s (%s)", version.process_key, version.version, version.content_hash[:12])
    return version


def _process_key(bpmn: bytes) -> str | None:
    """The key of the process a file would deploy (its main executable process), or None (validation says why)."""
    from workflows.specs import main_process
    from workflows.xml import parse_bpmn_xml
    try:
        return main_process(parse_bpmn_xml(bpmn)).get("id")
    except SpecInvalid:
        return None


def _choice_source(name: str) -> list[tuple[str, str]]:
    if name == "departments":
        return [(d.code, d.name) for d in db.session.execute(select(Department).order_by(Department.id)).scalars()]
    raise NotFound(f"表单引用了未知的选项来源“{name}”")


def live_form(schema: dict | None) -> dict | None:
    """The form as people see and submit it: live choice lists (``x-choices``) filled in from the database."""
    names = choice_sources(schema)
    if not names:
        return schema
    return with_choices(schema, {name: _choice_source(name) for name in names})


def start_form(definition: ProcessDefinition) -> dict | None:
    return live_form(definition.forms.get(definition.start_form)) if definition.start_form else None


def task_form(definition: ProcessDefinition, spec_name: str) -> dict | None:
    return live_form(definition.form_for(spec_name))


def catalogue(user: User) -> list[dict]:
    """Every deployed process at its newest version: key, title, version, start form (JSON Schema with live
    choices) and whether ``user`` may register cases of it — the same rule as the navigation and
    :func:`app.services.cases.start_case`."""
    from .access import may_start
    rows = []
    for version in deployed_keys():
        parsed = definition(version)
        rows.append({"key": version.process_key, "title": version.name or version.process_key,
                     "version": version.version, "start_form": start_form(parsed),
                     "may_start": may_start(user, version.process_key, parsed.start_lane)})
    return rows
