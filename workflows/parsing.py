"""The SpiffWorkflow parser as this system uses it: multi-instance tasks are bounded.

A multi-instance task makes one instance per item of its input collection (or ``loopCardinality``
instances).  SpiffWorkflow takes any size — one registration made 1,000 inbox rows — and reports a
missing collection in English deep inside the run.  The task classes here check the collection before
any instance exists and raise :class:`MultiInstanceRefused`, which names the data field, so the command
is refused (422) and nothing is stored.
"""
from collections.abc import Sized

from SpiffWorkflow.bpmn.exceptions import WorkflowDataException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import ParallelMultiInstanceTask, SequentialMultiInstanceTask

from .scripting import MAX_INSTANCES


class MultiInstanceRefused(WorkflowDataException):
    """A multi-instance task cannot start with this data; ``field`` is the case-data key at fault."""

    def __init__(self, message: str, task, field: str):
        super().__init__(message, task)
        self.field = field
        self.message = message


class _Bounded:
    def _update_hook(self, my_task):
        my_task._inherit_data()  # what the base hook does first: the collection comes from the parent
        self._check_instances(my_task)
        return super()._update_hook(my_task)

    def _check_instances(self, my_task) -> None:
        specs = my_task.workflow.spec.task_specs
        inner = specs.get(self.task_spec) if isinstance(self.task_spec, str) else self.task_spec
        title = self.bpmn_name or getattr(inner, "bpmn_name", None) or self.bpmn_id
        if self.data_input is not None:
            field = self.data_input.bpmn_id
            if not self.data_input.exists(my_task):
                raise MultiInstanceRefused(f"多实例任务“{title}”需要数据项“{field}”（要逐一办理的列表），但案件数据中没有",
                                           my_task, field)
            items = self.data_input.get(my_task)
            if not isinstance(items, Sized) or isinstance(items, str):
                raise MultiInstanceRefused(f"多实例任务“{title}”的数据项“{field}”必须是列表", my_task, field)
            count = len(items)
        else:
            field = "loopCardinality"
            count = my_task.workflow.script_engine.evaluate(my_task, self.cardinality)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise MultiInstanceRefused(f"多实例任务“{title}”的实例数必须是非负整数", my_task, field)
        if count > MAX_INSTANCES:
            raise MultiInstanceRefused(f"多实例任务“{title}”将产生 {count} 个实例，超过上限 {MAX_INSTANCES} 个",
                                       my_task, field)


class BoundedParallelMultiInstanceTask(_Bounded, ParallelMultiInstanceTask):
    pass


class BoundedSequentialMultiInstanceTask(_Bounded, SequentialMultiInstanceTask):
    pass


def _bounded(parser_class):
    return type(parser_class.__name__, (parser_class,), {
        "PARALLEL_MI_CLASS": BoundedParallelMultiInstanceTask,
        "SEQUENTIAL_MI_CLASS": BoundedSequentialMultiInstanceTask,
    })


class Parser(SpiffBpmnParser):
    """SpiffBpmnParser whose multi-instance tasks are bounded (see the module docstring)."""

    OVERRIDE_PARSER_CLASSES = {tag: (_bounded(parser), spec)
                               for tag, (parser, spec) in SpiffBpmnParser.OVERRIDE_PARSER_CLASSES.items()}
