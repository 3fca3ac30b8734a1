"""Moving a running case to a newer version of its process.

SpiffWorkflow 3.2.0 aligns the old spec with the new one (``diff_workflow``)
and re-points every task at its new spec (``migrate_workflow``), resetting the
tasks that are ready or waiting so they are re-predicted under the new spec.
That is only safe when the places the case is *at* still mean the same thing,
so :func:`check` refuses (with a reason in Chinese) when

- a task that is active or waiting (a user task, a boundary timer…) was removed,
  or changed in anything but its name, documentation or connections (e.g. its
  form, its lane, its timer expression, its type);
- a task the case already went through was removed (its record could not be
  loaded under the new version);
- a subprocess the case is running no longer exists;
- the migrated state does not load back under the new version.

The check is a dry run of the real migration, so "safe" means the migration
itself succeeded in memory and its result reloads.  Case data is preserved:
SpiffWorkflow resets a ready task's data to its parent's, which would drop
facts published into waiting tasks later (recomputed due dates), so the case
data as it was is published back into every waiting task afterwards.
"""
import copy
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.util.diff import SpecDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from .engine import Engine, StepReport
from .specs import ProcessDefinition

# Spec attributes whose change does not alter what an active task does:
# its displayed name and description, and what comes after it (re-predicted).
HARMLESS_CHANGES = frozenset({"bpmn_name", "description", "documentation", "inputs", "outputs"})
ATTRIBUTE_WORDS = {
    "typename": "类型", "lane": "泳道", "extensions": "表单或扩展属性", "event_definition": "事件定义（如定时表达式）",
    "prescript": "前置脚本", "postscript": "后置脚本", "manual": "是否人工办理", "cancel_activity": "是否中断",
    "condition": "条件", "script": "脚本", "operation_name": "服务操作", "operation_params": "服务参数",
    "io_specification": "输入输出定义", "data_input_associations": "数据输入",
    "data_output_associations": "数据输出", "default_task_spec": "默认分支", "cond_task_specs": "分支条件",
}
ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


class MigrationUnsafe(ValueError):
    """The case cannot be moved to the new version; the message says why."""


@dataclass
class MigrationCheck:
    safe: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def _label(spec) -> str:
    name = getattr(spec, "bpmn_name", None)
    bpmn_id = getattr(spec, "bpmn_id", None) or spec.name
    return f"“{name}”（{bpmn_id}）" if name else f"{bpmn_id}"


def _words(attributes) -> str:
    return "、".join(dict.fromkeys(ATTRIBUTE_WORDS.get(a, a) for a in attributes))


def _problems(workflow, top_diff, sub_diffs, spec_diff_changed) -> list[str]:
    reasons = []
    for sp_id, diff in sub_diffs.items():
        if diff is None:
            reasons.append(f"正在运行的子流程 {workflow.subprocesses[sp_id].spec.name} 在新版本中不存在")
    diffs = [(workflow, top_diff)] + [(workflow.subprocesses[i], d) for i, d in sub_diffs.items() if d]
    for wf, diff in diffs:
        for task in diff.removed:
            spec = task.task_spec
            if task.state & ACTIVE:
                reasons.append(f"当前环节{_label(spec)}在新版本中已删除")
            elif task.state & (TaskState.COMPLETED | TaskState.ERROR | TaskState.CANCELLED):
                reasons.append(f"已办理的环节{_label(spec)}在新版本中已删除，办理记录无法对应")
        for task in diff.changed:
            if not task.state & ACTIVE:
                continue
            changed = [a for a in spec_diff_changed(task.task_spec) if a not in HARMLESS_CHANGES]
            if changed:
                reasons.append(f"当前环节{_label(task.task_spec)}在新版本中改变了{_words(changed)}")
    return list(dict.fromkeys(reasons))


def _migrate(engine: Engine, old: ProcessDefinition, new: ProcessDefinition, state: dict):
    """Migrate a loaded copy of ``state``; return (workflow, problems, ready-before, case data)."""
    registry = engine.serializer.registry
    workflow = engine.load(old, copy.deepcopy(state))
    before = {str(t.id) for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    data = copy.deepcopy(Engine._case_data(workflow))
    top_diff, sub_diffs = diff_workflow(registry, workflow, new.spec, new.subprocess_specs)
    # WorkflowDiff keeps tasks, not attributes; recompute the attribute list per spec.
    spec_diffs = {workflow.spec.name: SpecDiff(registry, workflow.spec, new.spec)}
    for sp in workflow.subprocesses.values():
        if sp.spec.name in new.subprocess_specs and sp.spec.name not in spec_diffs:
            spec_diffs[sp.spec.name] = SpecDiff(registry, sp.spec, new.subprocess_specs[sp.spec.name])

    def changed(spec):
        for diff in spec_diffs.values():
            if spec in diff.changed:
                return diff.changed[spec]
        return []

    problems = _problems(workflow, top_diff, sub_diffs, changed)
    if problems:
        return workflow, problems, before, data
    migrate_workflow(top_diff, workflow, new.spec)
    for sp_id, diff in sub_diffs.items():
        sub = workflow.subprocesses[sp_id]
        migrate_workflow(diff, sub, new.subprocess_specs[sub.spec.name])
    # Facts published into waiting tasks (due dates…) survive the reset.
    Engine.publish_to_waiting(workflow, data)
    return workflow, [], before, data


def check(engine: Engine, old: ProcessDefinition, new: ProcessDefinition, state: dict) -> MigrationCheck:
    """Dry run: would moving this case from ``old`` to ``new`` be safe?  Changes nothing."""
    if old.process_id != new.process_id:
        return MigrationCheck(False, [f"新版本是另一个流程（{new.process_id}）"])
    try:
        workflow, problems, _, _ = _migrate(engine, old, new, state)
        if problems:
            return MigrationCheck(False, problems)
        # The real proof: the migrated state must load under the new version.
        engine.ready_tasks(new, engine.serializer.dump(workflow))
    except Exception as exc:  # any library failure means "not safe", with what it said
        return MigrationCheck(False, [f"迁移演练失败：{type(exc).__name__}: {exc}"])
    return MigrationCheck(True)


def migrate(engine: Engine, old: ProcessDefinition, new: ProcessDefinition, state: dict,
            handlers) -> StepReport:
    """Move the case to ``new`` and advance it; raise :class:`MigrationUnsafe` when not safe.

    Ready user tasks keep their ids, so inbox rows stay the same rows (their
    titles, lanes and forms are those of the new version in the report).
    """
    verdict = check(engine, old, new, state)
    if not verdict.safe:
        raise MigrationUnsafe(verdict.reason)
    workflow, problems, before, _ = _migrate(engine, old, new, state)
    if problems:  # pragma: no cover - check() ran the same code
        raise MigrationUnsafe("；".join(problems))
    # _advance is the engine's own "run until people are needed and report"; a
    # migration is one more kind of step, so it reuses it rather than copying it.
    return engine._advance(new, workflow, handlers, before)
