"""Service-task operators: the only way a BPMN process causes side effects.

A BPMN service task names an operator (``spiffworkflow:serviceTaskOperator``)
and parameters whose values are restricted expressions over case data.  The
engine evaluates the parameters and hands a :class:`ServiceCall` to the
dispatcher supplied by the caller, so the engine layer never performs I/O
itself; the application registers handlers that write letters, clocks and
notifications inside its own transaction.
"""
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping


@dataclass(frozen=True)
class Operator:
    """What a BPMN file may call: a name and the parameters it accepts."""

    name: str
    required: frozenset = frozenset()
    optional: frozenset = frozenset()
    description: str = ""

    def check_params(self, given: set) -> list[str]:
        problems = []
        missing = self.required - given
        unknown = given - self.required - self.optional
        if missing:
            problems.append(f"服务 {self.name} 缺少参数：{', '.join(sorted(missing))}")
        if unknown:
            problems.append(f"服务 {self.name} 不认识参数：{', '.join(sorted(unknown))}")
        return problems


@dataclass
class ServiceCall:
    """One service task reached by the engine, with evaluated parameters."""

    task_id: str
    task_name: str
    task_title: str
    operator: str
    params: dict
    data: dict  # the task's data at the time of the call (read-only by convention)
    result: Any = None
    # Case-level facts a handler publishes (e.g. a recomputed due date): written
    # into this task's data, so the rest of the branch sees them, and after the
    # run into every waiting task, whose timers are then re-armed.
    case_updates: dict = field(default_factory=dict)


Handler = Callable[[ServiceCall], Any]


@dataclass
class OperatorRegistry:
    """Operators known to this deployment, and (optionally) their handlers."""

    operators: dict = field(default_factory=dict)

    def declare(self, name: str, required=(), optional=(), description: str = "") -> Operator:
        op = Operator(name, frozenset(required), frozenset(optional), description)
        self.operators[name] = op
        return op

    def get(self, name: str) -> Operator | None:
        return self.operators.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self.operators


def make_dispatcher(handlers: Mapping[str, Handler], calls: list) -> Callable:
    """Build the callable the script engine uses for service tasks.

    Every call is appended to ``calls`` (the step report) after its handler ran;
    an operator without a handler is an error, never a silent no-op.
    """

    def dispatch(task, operation_name: str, operation_params: dict):
        handler = handlers.get(operation_name)
        if handler is None:
            raise LookupError(f"没有为服务 {operation_name} 注册处理程序")
        params = {name: p["value"] for name, p in operation_params.items()}
        call = ServiceCall(
            task_id=str(task.id),
            task_name=task.task_spec.bpmn_id or task.task_spec.name,
            task_title=task.task_spec.bpmn_name or task.task_spec.name,
            operator=operation_name,
            params=params,
            data=task.data,
        )
        call.result = handler(call)
        task.data.update(call.case_updates)
        calls.append(call)
        return call.result

    return dispatch
