"""Process definitions: a BPMN file plus its forms, parsed once and cached.

A :class:`ProcessDefinition` is immutable and shared by every case that runs
on that version, so it is cached by the hash of the BPMN bytes and forms.
"""
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Mapping

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from .dialects import inherit_subprocess_lanes, quote_iso_timers
from .forms import FormSchemaInvalid, load_schema
from .parsing import Parser
from .validation import PERSON_TASKS, SpecError, called_processes, spiff_properties, validate_tree
from .xml import NSMAP, XmlRefused, parse_bpmn_xml

# What a plain task or manual task asks of the person working it: a confirmation, with no fields.
CONFIRMATION_FORM = {"type": "object", "properties": {}, "additionalProperties": False}


class SpecInvalid(ValueError):
    """The BPMN (or one of its forms) cannot be deployed; ``errors`` says why."""

    def __init__(self, errors: list[SpecError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class UserTaskInfo:
    spec_name: str
    title: str
    lane: str | None
    form: str
    instructions: str
    # The task-data key holding the code of the department the task belongs to
    # (property ``departmentFrom``), e.g. a multi-instance element variable; "" when
    # the lane's assignment alone says who may work it.
    department_key: str = ""
    # The letter kind (property ``previewLetter``) this task decides on, e.g. ``reply`` for the head's
    # approval: its task page shows that letter as it would be issued now, marked as a draft; "" for none.
    preview_letter: str = ""


@dataclass(frozen=True)
class ProcessDefinition:
    process_id: str
    name: str
    content_hash: str
    spec: object
    subprocess_specs: dict
    forms: Mapping[str, dict]
    start_form: str | None
    tracking_prefix: str
    lanes: tuple
    user_tasks: Mapping[str, UserTaskInfo] = field(default_factory=dict)
    start_lane: str | None = None  # who registers a case: the lane of the start event

    def form_for(self, spec_name: str) -> dict | None:
        """The task's form; a task drawn without one (plain or manual task) is a confirmation."""
        info = self.user_tasks.get(spec_name)
        if info is None:
            return None
        return self.forms.get(info.form) if info.form else CONFIRMATION_FORM


def content_hash(bpmn: bytes, forms: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256(bpmn)
    for name in sorted(forms):
        digest.update(b"\0" + name.encode() + b"\0" + forms[name])
    return digest.hexdigest()


def main_process(root):
    """The process a case runs: the one executable process no call activity of the file calls.

    A collaboration's other pools (``isExecutable="false"``) and processes called by call activities may
    sit beside it.  Raises :class:`SpecInvalid` when there is none, more than one, or it has no id.
    """
    processes = root.findall("bpmn:process", NSMAP)
    executable = [p for p in processes if p.get("isExecutable", "true") == "true"]
    called = {target for targets in called_processes(root).values() for _, target in targets}
    main = [p for p in executable if p.get("id") not in called] if len(executable) > 1 else executable
    if not main and executable:
        main = executable[:1]  # processes calling each other in a circle: validation names the call activity
    if not main:
        raise SpecInvalid([SpecError("", "", "文件中没有可执行的流程（bpmn:process，isExecutable=\"true\"）")])
    if len(main) > 1:
        ids = "、".join(p.get("id") or "（无标识）" for p in main)
        raise SpecInvalid([SpecError("", "", f"一个文件只能有一个可执行的主流程，发现：{ids}；"
                                             "请把其余流程设为不可执行，或由主流程的调用活动调用")])
    if not (main[0].get("id") or "").strip():
        raise SpecInvalid([SpecError("", main[0].get("name") or "", "流程（bpmn:process）缺少标识 id，无法部署")])
    return main[0]


def _lane_names(process) -> dict:
    """element id -> the name of the lane it sits in."""
    lanes = {}
    for lane in process.iter(f"{{{NSMAP['bpmn']}}}lane"):
        for ref in lane.iter(f"{{{NSMAP['bpmn']}}}flowNodeRef"):
            lanes[(ref.text or "").strip()] = lane.get("name")
    return lanes


def _user_tasks(process) -> dict:
    lanes = _lane_names(process)
    tasks = {}
    for el in process.iter(*(f"{{{NSMAP['bpmn']}}}{kind}" for kind in PERSON_TASKS)):
        instructions = el.findtext("bpmn:extensionElements/spiffworkflow:instructionsForEndUser",
                                   default="", namespaces=NSMAP)
        tasks[el.get("id")] = UserTaskInfo(
            spec_name=el.get("id"),
            title=el.get("name") or el.get("id"),
            lane=lanes.get(el.get("id")),
            form=spiff_properties(el).get("formJsonSchemaFilename", ""),
            instructions=instructions.strip(),
            department_key=(spiff_properties(el).get("departmentFrom") or "").strip(),
            preview_letter=(spiff_properties(el).get("previewLetter") or "").strip(),
        )
    return tasks


def load_definition(
    bpmn: bytes,
    forms: Mapping[str, bytes],
    *,
    operators,
    lane_known: Callable[[str], bool] | None = None,
) -> ProcessDefinition:
    """Validate and parse a process; raise :class:`SpecInvalid` listing every problem.

    ``forms`` maps form file names (as referenced by ``formJsonSchemaFilename``)
    to their bytes; ``operators`` is the registry of service operators;
    ``lane_known(name)`` says whether a lane maps to some role or department.
    """
    try:
        bpmn.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecInvalid([SpecError("", "", "文件不是 UTF-8 编码：请在建模工具中以 UTF-8 保存后再部署"
                                             "（本系统保存、显示和下载流程图都使用 UTF-8）")]) from None
    try:
        root = parse_bpmn_xml(bpmn)
    except XmlRefused as exc:
        raise SpecInvalid([SpecError("", "", str(exc))]) from None
    process = main_process(root)
    quote_iso_timers(root)
    inherit_subprocess_lanes(process)

    errors: list[SpecError] = []
    schemas, broken = {}, {}
    for name, raw in forms.items():
        try:
            schemas[name] = load_schema(raw)
        except FormSchemaInvalid as exc:
            broken[name] = str(exc)
            errors.append(SpecError(name, "", str(exc)))
    errors += validate_tree(root, process, operators=operators, form_names=schemas,
                            lane_known=lane_known, broken_forms=broken)
    if errors:
        raise SpecInvalid(errors)

    parser = Parser()
    try:
        parser.add_bpmn_xml(root, filename=f"{process.get('id')}.bpmn")
        spec = parser.get_spec(process.get("id"))
        subprocess_specs = parser.get_subprocess_specs(process.get("id"))
    except ValidationException as exc:
        # The engine's own words are English: say in Chinese what failed, and keep its whole message.
        detail = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        raise SpecInvalid([SpecError(exc.id or "", exc.name or "", f"流程引擎无法解析此元素（引擎原文：{detail}）")]) from None

    start = process.find("bpmn:startEvent", NSMAP)
    props = spiff_properties(process)
    user_tasks = _user_tasks(process)
    return ProcessDefinition(
        process_id=process.get("id"),
        name=process.get("name") or process.get("id"),
        content_hash=content_hash(bpmn, forms),
        spec=spec,
        subprocess_specs=subprocess_specs,
        forms=schemas,
        start_form=spiff_properties(start).get("formJsonSchemaFilename") if start is not None else None,
        tracking_prefix=props.get("trackingPrefix", "CASE"),
        lanes=tuple(dict.fromkeys(t.lane for t in user_tasks.values() if t.lane)),
        user_tasks=user_tasks,
        start_lane=_lane_names(process).get(start.get("id")) if start is not None else None,
    )


def referenced_forms(bpmn: bytes) -> list[str]:
    """Form file names a BPMN refers to (for loading them from beside the file)."""
    root = parse_bpmn_xml(bpmn)
    names = []
    for el in root.iter():
        value = spiff_properties(el).get("formJsonSchemaFilename") if isinstance(el.tag, str) else None
        if value and value not in names:
            names.append(value)
    return names


class DefinitionCache:
    """A small LRU of parsed definitions keyed by content hash.

    Parsing is the expensive part of loading a case; specs are immutable, so
    all cases of one version share one definition object.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict = OrderedDict()

    def get(self, key: str, build: Callable[[], ProcessDefinition]) -> ProcessDefinition:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        definition = build()
        self._items[key] = definition
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return definition

