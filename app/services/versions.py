"""Process versions: the list per process, comparing two versions, moving running cases to the newest.

Reading versions is for supervisors, administrators and auditors; migrating
cases changes them, so only supervisors and administrators may.  Each case is
migrated in its own transaction under its row lock, like every other case
command, with a history event; a case that cannot be moved safely is left
exactly as it was and reported with the reason.
"""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from workflows import migration
from workflows.version_diff import VersionDiff, diff_versions

from ..extensions import db
from ..models import Case, HumanTask, ProcessVersion, User
from . import engine_runner, history, processes, reading
from .cases import command
from .errors import Conflict, Forbidden, NotFound, ServiceError
from .locking import lock_case

READ_ROLES = ("supervisor", "admin", "auditor")
MIGRATE_ROLES = ("supervisor", "admin")
RUNNING = ("active", "suspended", "incident")
STATUS_REASONS = {"suspended": "案件已暂停，恢复办理后再迁移", "incident": "案件有待处理的故障，处理后再迁移"}


def _require_read(user: User) -> None:
    if not user.has_role(*READ_ROLES):
        raise Forbidden("只有流程管理员、系统管理员或审计人员可以查看流程版本")


def require_migrate(user: User) -> None:
    """Refuse anyone but a process administrator (before asking them to confirm a migration)."""
    _require_migrate(user)


def _require_migrate(user: User) -> None:
    if not user.has_role(*MIGRATE_ROLES):
        raise Forbidden("只有流程管理员可以迁移案件的流程版本")


@dataclass(frozen=True)
class ProcessSummary:
    process_key: str
    name: str
    newest: int
    versions: int
    running_cases: int


def process_list(user: User) -> list[ProcessSummary]:
    _require_read(user)
    counts = dict(db.session.execute(select(ProcessVersion.process_key, func.count())
                                     .group_by(ProcessVersion.process_key)).all())
    running = dict(db.session.execute(select(Case.process_key, func.count()).where(Case.status.in_(RUNNING))
                                      .group_by(Case.process_key)).all())
    return [ProcessSummary(v.process_key, v.name, v.version, counts.get(v.process_key, 0),
                           running.get(v.process_key, 0)) for v in processes.deployed_keys()]


def version_list(user: User, process_key: str) -> list[ProcessVersion]:
    """Every version of a process, newest first (who deployed it, when, the note, the hash)."""
    _require_read(user)
    rows = list(db.session.execute(select(ProcessVersion).where(ProcessVersion.process_key == process_key)
                                   .order_by(ProcessVersion.version.desc())).scalars())
    if not rows:
        raise NotFound(f"流程“{process_key}”尚未部署")
    return rows


def get_version(process_key: str, number: int) -> ProcessVersion:
    version = db.session.execute(select(ProcessVersion).where(
        ProcessVersion.process_key == process_key, ProcessVersion.version == number)
        .options(undefer(ProcessVersion.bpmn), undefer(ProcessVersion.forms))).scalar_one_or_none()
    if version is None:
        raise NotFound(f"流程“{process_key}”没有第 {number} 版")
    return version


def compare(user: User, process_key: str, old: int, new: int) -> VersionDiff:
    _require_read(user)
    a, b = get_version(process_key, old), get_version(process_key, new)
    return diff_versions(a.bpmn, b.bpmn, a.forms, b.forms)


@dataclass(frozen=True)
class CasePreview:
    case: Case
    from_version: int
    safe: bool
    reason: str


def _check(case: Case, target: ProcessVersion) -> tuple[bool, str]:
    if case.status != "active":
        return False, STATUS_REASONS.get(case.status, "案件已办结")
    if case.process_version.version >= target.version:
        return False, f"案件已在第 {case.process_version.version} 版上"
    # A case never moves onto weaker protection of the people it names (e.g. a reporter, XF 30, 46).
    lost = reading.confidential_keys(case) - reading.confidential_keys(case, target)
    if lost:
        titles = {name: prop.get("title") or name for schema in processes.definition(case.process_version).forms.values()
                  for name, prop in (schema or {}).get("properties", {}).items()}
        named = "、".join(sorted(f"“{titles.get(name, name)}”" for name in lost))
        return False, f"新版本不再对本案的{named}保密，不能迁移到保护更弱的版本"
    verdict = migration.check(engine_runner.ENGINE, processes.definition(case.process_version),
                              processes.definition(target), case.engine_state)
    return verdict.safe, verdict.reason


def preview(user: User, process_key: str) -> tuple[ProcessVersion, list[CasePreview]]:
    """Running cases on older versions, each with whether it can move to the newest version and why not."""
    _require_migrate(user)
    target = processes.latest(process_key)
    cases = db.session.execute(
        select(Case).join(ProcessVersion, Case.process_version_id == ProcessVersion.id)
        .where(Case.process_key == process_key, Case.status.in_(RUNNING), ProcessVersion.version < target.version)
        .options(undefer(Case.engine_state)).order_by(Case.id)).scalars()
    result = []
    for case in cases:
        safe, reason = _check(case, target)
        result.append(CasePreview(case, case.process_version.version, safe, reason))
    return target, result


@command
def migrate_case(user: User, case_id: int) -> Case:
    """Move one running case to the newest version of its process; :class:`Conflict` with the reason if unsafe."""
    _require_migrate(user)
    case = lock_case(case_id)
    target = processes.latest(case.process_key)
    old = case.process_version
    safe, reason = _check(case, target)
    if not safe:
        raise Conflict(f"案件 {case.tracking_number} 不能迁移到第 {target.version} 版：{reason}")
    old_def, new_def = processes.definition(old), processes.definition(target)
    try:
        report = engine_runner.run(case, user, lambda engine, handlers:
                                   migration.migrate(engine, old_def, new_def, case.engine_state, handlers))
    except migration.MigrationUnsafe as exc:
        raise Conflict(f"案件 {case.tracking_number} 不能迁移到第 {target.version} 版：{exc}") from None
    # Ready tasks keep their ids across a migration, so the inbox sync keeps
    # their rows; give them the new version's title, lane and form.
    views = {t.id: t for t in report.ready}
    for row in db.session.execute(select(HumanTask).where(HumanTask.case_id == case.id,
                                                          HumanTask.state == "ready")).scalars():
        view = views.get(row.id)
        if view is not None:
            row.spec_name, row.title, row.lane, row.form = view.spec_name, view.title, view.lane, view.form
    case.process_version_id = target.id
    case.process_version = target
    case.version += 1
    history.record(case, "case_migrated", user, f"流程版本迁移：从第 {old.version} 版迁移到第 {target.version} 版",
                   {"process": case.process_key, "from_version": old.version, "to_version": target.version,
                    "from_hash": old.content_hash, "to_hash": target.content_hash})
    db.session.commit()
    return case


@dataclass(frozen=True)
class MigrationResult:
    case_id: int
    tracking_number: str
    migrated: bool
    reason: str = ""


def migrate_all_safe(user: User, process_key: str) -> list[MigrationResult]:
    """Migrate every case the preview finds safe, one transaction each; report the rest with reasons."""
    _require_migrate(user)
    _, previews = preview(user, process_key)
    items = [(p.case.id, p.case.tracking_number, p.safe, p.reason) for p in previews]
    db.session.rollback()  # release what the preview read; each case is re-read under its lock
    results = []
    for case_id, number, safe, reason in items:
        if not safe:
            results.append(MigrationResult(case_id, number, False, reason))
            continue
        try:
            migrate_case(user, case_id)
        except ServiceError as exc:  # it changed since the preview, or the engine refused
            results.append(MigrationResult(case_id, number, False, exc.message))
        else:
            results.append(MigrationResult(case_id, number, True))
    return results
