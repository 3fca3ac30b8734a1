"""Restricted expressions and scripts for BPMN files uploaded by supervisors.

SpiffWorkflow's default environment ``eval``/``exec``s BPMN text with full
Python builtins.  This module replaces it: gateway conditions, timer and
multi-instance expressions, service-task parameters and script tasks may only
use case data, literals, operators, the functions in
:data:`~workflows.scripting_functions.FUNCTIONS` and a few harmless methods.

Two independent layers refuse everything else:

1. a static ``ast`` allow-list (:func:`check_expression`, :func:`check_script`),
   run at upload time and, cached per source text, before every evaluation;
2. a ``simpleeval``-based evaluator that only knows the allowed node types,
   calls only registered functions/methods and bounds the size of every value
   it builds.  Scripts are never ``exec``'d: each ``name = expression`` is
   evaluated and the results are written into the task data at the end.
"""
import ast
import json
import textwrap
import threading
import types
from collections import ChainMap
from datetime import date
from decimal import Decimal
from functools import lru_cache
from uuid import UUID

import simpleeval
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine.python_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.exceptions import SpiffWorkflowException

from .scripting_functions import (DATA_ATTRIBUTE_TYPES, DATA_ATTRIBUTES, FUNCTION_IDS, FUNCTIONS,
                                  METHODS, OPERATORS, ScriptRefused, check_size)

__all__ = ["ScriptRefused", "check_expression", "check_script", "check_timer_cycle", "check_instance_count",
           "constant_value", "FUNCTIONS", "METHODS",
           "RestrictedEnvironment", "RestrictedScriptEngine"]

MAX_EXPRESSION_LENGTH = 2_000
# The process itself can loop even though expressions cannot: a cycle timer
# fires once per interval (catching up on missed ones within one engine run)
# and a multi-instance task makes one task per instance.  Both are bounded.
MAX_TIMER_CYCLES = 100
MIN_CYCLE_SECONDS = 3_600
MAX_INSTANCES = 100
MAX_SCRIPT_LENGTH = 10_000
MAX_STATEMENTS = 50
MAX_DEPTH = 60

_ALLOWED_NODES = frozenset({
    ast.Constant, ast.Name, ast.Load, ast.BoolOp, ast.And, ast.Or, ast.BinOp,
    ast.UnaryOp, ast.Compare, ast.IfExp, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Subscript,
    ast.Slice, ast.Call, ast.keyword, ast.Attribute, *OPERATORS,
})
_REFUSED_WORDS = {  # plain words for what people are likely to try; anything else by node name
    ast.Lambda: "lambda is", ast.ListComp: "comprehensions are", ast.SetComp: "comprehensions are",
    ast.DictComp: "comprehensions are", ast.GeneratorExp: "generator expressions are",
    ast.JoinedStr: "f-strings are", ast.NamedExpr: "':=' is", ast.Starred: "'*' unpacking is",
    ast.Await: "await is", ast.Yield: "yield is", ast.YieldFrom: "yield is", ast.LShift: "operator '<<' is",
    ast.RShift: "operator '>>' is", ast.Invert: "operator '~' is", ast.MatMult: "operator '@' is",
}
_OPERATOR_NODES = (ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.expr_context)
_CONSTANT_TYPES = (str, int, float, bool, type(None))
_NOT_CONSTANT = object()


def _refuse(message, node=None, script=False):
    line = getattr(node, "lineno", 0) if script else 0
    exc = ScriptRefused(f"{message} (line {line})" if line else message)
    exc.script_line = line
    return exc


def _check_node(node, depth=0, script=False):
    """Walk one expression tree; return its value if it is a constant, else _NOT_CONSTANT.

    Constant parts are folded with the run-time operators, so ``'a' * 10**9``
    or ``10**10**10`` are refused here with the same limits as at run time.
    """
    if depth > MAX_DEPTH:
        raise _refuse("expression is nested too deeply", node, script)
    kind = type(node)
    if kind not in _ALLOWED_NODES:
        raise _refuse(f"{_REFUSED_WORDS.get(kind, kind.__name__ + ' is')} not allowed", node, script)
    if kind is ast.Constant:
        if not isinstance(node.value, _CONSTANT_TYPES):
            raise _refuse(f"constant of type {type(node.value).__name__} is not allowed", node, script)
        return node.value
    if kind is ast.Name:
        if node.id.startswith("_"):
            raise _refuse(f"name '{node.id}' is not allowed", node, script)
        return _NOT_CONSTANT
    if kind is ast.Attribute:
        if node.attr.startswith("_"):
            raise _refuse(f"attribute '{node.attr}' is not allowed", node, script)
        if node.attr not in DATA_ATTRIBUTES:
            raise _refuse(f"attribute '{node.attr}' is not allowed (read case data with x['key'] "
                          f"or x.get('key'))", node, script)
    elif kind is ast.Call:
        func = node.func
        if type(func) is ast.Name:
            if func.id not in FUNCTIONS:
                raise _refuse(f"name '{func.id}' is not defined (functions you may call: "
                              f"{', '.join(sorted(FUNCTIONS))})", node, script)
        elif type(func) is ast.Attribute and not func.attr.startswith("_"):
            if func.attr not in METHODS:
                raise _refuse(f"method '{func.attr}' is not allowed (methods you may call: "
                              f"{', '.join(sorted(METHODS))})", node, script)
            _check_node(func.value, depth + 1, script)
        elif type(func) is ast.Attribute:
            raise _refuse(f"attribute '{func.attr}' is not allowed", node, script)
        else:
            raise _refuse("only named functions may be called", node, script)
        for child in [*node.args, *node.keywords]:
            if type(child) is ast.keyword and (child.arg is None or child.arg.startswith("_")):
                raise _refuse("'**' arguments and private keyword names are not allowed", node, script)
            _check_node(child.value if type(child) is ast.keyword else child, depth + 1, script)
        return _NOT_CONSTANT
    elif kind is ast.BinOp and type(node.op) is ast.Mod and type(node.left) is ast.Constant \
            and isinstance(node.left.value, str):
        # Refused at run time too (safe_mod); say so at upload, not when a case gets there.
        raise _refuse("string formatting with '%' is not allowed", node, script)
    elif kind is ast.Dict and None in node.keys:
        raise _refuse("'**' unpacking is not allowed", node, script)
    values = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, _OPERATOR_NODES):
            if type(child) not in _ALLOWED_NODES:
                raise _refuse(f"{_REFUSED_WORDS.get(type(child), 'this operator is')} not allowed", node, script)
        else:
            values.append(_check_node(child, depth + 1, script))
    if any(v is _NOT_CONSTANT for v in values) or kind not in _FOLD:
        return _NOT_CONSTANT
    try:
        return _FOLD[kind](node, values)
    except ScriptRefused as exc:
        raise _refuse(str(exc), node, script) from None
    except Exception:  # e.g. 1/0: a run-time error, not a refusal
        return _NOT_CONSTANT


_FOLD = {
    ast.BinOp: lambda n, v: OPERATORS[type(n.op)](v[0], v[1]),
    ast.UnaryOp: lambda n, v: OPERATORS[type(n.op)](v[0]),
    ast.List: lambda n, v: check_size(list(v)),
    ast.Tuple: lambda n, v: check_size(tuple(v)),
}


def _parse(source, mode, limit):
    if len(source) > limit:
        raise ScriptRefused(f"{'expression' if mode == 'eval' else 'script'} is longer than {limit:,} characters")
    try:
        return ast.parse(source, mode=mode)
    except (RecursionError, MemoryError):
        raise ScriptRefused("expression is nested too deeply") from None


@lru_cache(maxsize=2048)
def _checked_expression(source):
    if not isinstance(source, str):
        raise ScriptRefused("an expression must be text")
    tree = _parse(source.strip(), "eval", MAX_EXPRESSION_LENGTH)
    _check_node(tree.body)
    return tree.body


@lru_cache(maxsize=512)
def _checked_script(source):
    if not isinstance(source, str):
        raise ScriptRefused("a script must be text")
    tree = _parse(textwrap.dedent(source), "exec", MAX_SCRIPT_LENGTH)  # keeps line numbers
    if len(tree.body) > MAX_STATEMENTS:
        raise ScriptRefused(f"script has more than {MAX_STATEMENTS} statements")
    for stmt in tree.body:
        if type(stmt) is ast.Pass:
            continue
        targets = stmt.targets if type(stmt) is ast.Assign else [stmt.target] if type(stmt) is ast.AugAssign else []
        if len(targets) != 1 or type(targets[0]) is not ast.Name:
            raise _refuse("only assignments 'name = expression' are allowed in scripts", stmt, True)
        name = targets[0].id
        if name.startswith("_") or name in FUNCTIONS:
            raise _refuse(f"cannot assign to '{name}'", stmt, True)
        if type(stmt) is ast.AugAssign and type(stmt.op) not in OPERATORS:
            raise _refuse("this augmented assignment is not allowed", stmt, True)
        _check_node(stmt.value, 1, script=True)
    return tuple(stmt for stmt in tree.body if type(stmt) is not ast.Pass)


def check_expression(source: str) -> None:
    """Raise ScriptRefused (or SyntaxError) unless ``source`` is an allowed expression."""
    _checked_expression(source)


def check_script(source: str) -> None:
    """Raise ScriptRefused (or SyntaxError) unless ``source`` is allowed as a script."""
    _checked_script(source)


def check_timer_cycle(value) -> None:
    """Refuse a cycle-timer value ('R3/PT1H'…) that repeats without end, too often, or too many times."""
    if not isinstance(value, str):
        raise ScriptRefused("a cycle timer must give an ISO 8601 repeating interval text such as 'R3/P1D'")
    try:
        cycles, _, duration = CycleTimerEventDefinition.parse_iso_recurring_interval(value)
    except Exception:
        raise ScriptRefused(f"'{value[:100]}' is not an ISO 8601 repeating interval such as 'R3/P1D'") from None
    if cycles < 1 or cycles > MAX_TIMER_CYCLES:
        raise ScriptRefused(f"a cycle timer must repeat between 1 and {MAX_TIMER_CYCLES} times (R1…R{MAX_TIMER_CYCLES})")
    if duration.total_seconds() < MIN_CYCLE_SECONDS:
        raise ScriptRefused(f"a cycle timer's interval must be at least {MIN_CYCLE_SECONDS // 3600} hour")


def check_instance_count(value) -> None:
    """Refuse a multi-instance cardinality that is not a whole number up to MAX_INSTANCES."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INSTANCES:
        raise ScriptRefused(f"the number of instances must be a whole number from 0 to {MAX_INSTANCES}")


def constant_value(source: str):
    """The value of an expression that reads no case data, or _NOT_CONSTANT (source already checked)."""
    try:
        return RestrictedEnvironment().evaluate(source, {})
    except ScriptRefused:
        raise
    except Exception:  # NameError: it reads case data; other errors surface at run time
        return _NOT_CONSTANT


class _Evaluator(simpleeval.EvalWithCompoundTypes):
    """simpleeval with the allow-lists above; never touches ``getattr`` on arbitrary objects."""

    _REMOVED = (ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.JoinedStr, ast.FormattedValue,
                ast.Import, ast.Assign, ast.AugAssign, ast.Expr, ast.keyword)

    def __init__(self):
        super().__init__(operators=dict(OPERATORS), functions=dict(FUNCTIONS), names={})
        self.functions = dict(FUNCTIONS)  # drop the list/tuple/dict/set simpleeval adds
        for kind in self._REMOVED:
            self.nodes.pop(kind, None)

    def _eval(self, node):
        handler = self.nodes.get(type(node))
        if handler is None:
            raise ScriptRefused(f"{type(node).__name__} is not allowed")
        result = handler(node)
        if callable(result) and id(result) not in FUNCTION_IDS or isinstance(result, types.ModuleType):
            raise ScriptRefused("only registered functions may be used as values")
        return result

    def _eval_name(self, node):
        name = node.id
        if name.startswith("_"):
            raise ScriptRefused(f"name '{name}' is not allowed")
        try:
            return self.names[name]
        except KeyError:
            if name in self.functions:
                return self.functions[name]
            raise NameError(f"name '{name}' is not defined") from None

    def _eval_attribute(self, node):
        if node.attr.startswith("_") or node.attr not in DATA_ATTRIBUTES:
            raise ScriptRefused(f"attribute '{node.attr}' is not allowed")
        value = self._eval(node.value)
        if not isinstance(value, DATA_ATTRIBUTE_TYPES):
            raise ScriptRefused(f"attribute '{node.attr}' is not allowed on {type(value).__name__} values")
        return getattr(value, node.attr)

    def _eval_call(self, node):
        func = node.func
        if type(func) is ast.Name:
            target = self.functions.get(func.id)
            if target is None:
                raise ScriptRefused(f"name '{func.id}' is not defined")
            args = []
        elif type(func) is ast.Attribute and func.attr in METHODS:
            target, args = METHODS[func.attr], [self._eval(func.value)]
        else:
            raise ScriptRefused("only registered functions and methods may be called")
        args.extend(self._eval(a) for a in node.args)
        kwargs = {}
        for k in node.keywords:
            if k.arg is None or k.arg.startswith("_"):
                raise ScriptRefused("'**' arguments are not allowed")
            kwargs[k.arg] = self._eval(k.value)
        return target(*args, **kwargs)

    def _eval_dict(self, node):
        if None in node.keys:
            raise ScriptRefused("'**' unpacking is not allowed")
        return check_size(super()._eval_dict(node))

    def _eval_list(self, node):
        return check_size([self._eval(item) for item in node.elts])

    def _eval_tuple(self, node):
        return check_size(super()._eval_tuple(node))

    def _eval_set(self, node):
        return check_size(super()._eval_set(node))

    def run(self, node, source, names):
        self.expr, self.names = source, names
        try:
            return self._eval(node)
        except simpleeval.InvalidExpression as exc:
            raise ScriptRefused(str(exc)) from None
        except RecursionError:
            raise ScriptRefused("expression is nested too deeply") from None
        finally:
            self.names = {}  # keep no reference to case data


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates expressions and runs assignment scripts over task data, restricted."""

    def __init__(self):
        super().__init__({})
        self._local = threading.local()

    def _evaluator(self):
        ev = getattr(self._local, "evaluator", None)
        if ev is None:
            ev = self._local.evaluator = _Evaluator()
        return ev

    def evaluate(self, expression, context, external_context=None):
        return self._evaluate_node(_checked_expression(expression), expression, context, external_context)

    def execute(self, script, context, external_context=None):
        return self._execute_statements(_checked_script(script), script, context, external_context)

    # The *_unchecked variants skip the static check; tests use them to show
    # that the evaluator alone refuses the hostile corpus as well.
    def _evaluate_unchecked(self, expression, context, external_context=None):
        return self._evaluate_node(ast.parse(expression.strip(), mode="eval").body, expression,
                                   context, external_context)

    def _execute_unchecked(self, script, context, external_context=None):
        return self._execute_statements(ast.parse(textwrap.dedent(script)).body, script, context, external_context)

    def _evaluate_node(self, node, source, context, external_context):
        names = {**external_context, **context} if external_context else context
        return self._evaluator().run(node, source, names)

    def _execute_statements(self, statements, source, context, external_context):
        assigned = {}
        names = ChainMap(assigned, context, external_context or {})
        evaluator = self._evaluator()
        for stmt in statements:
            try:
                kind = type(stmt)
                if kind is ast.Pass:
                    continue
                target = stmt.targets[0] if kind is ast.Assign and len(stmt.targets) == 1 else \
                    stmt.target if kind is ast.AugAssign else None
                if type(target) is not ast.Name or target.id.startswith("_") or target.id in FUNCTIONS:
                    raise ScriptRefused("only assignments 'name = expression' are allowed in scripts")
                value = evaluator.run(stmt.value, source, names)
                if kind is ast.AugAssign:
                    if target.id not in names:
                        raise NameError(f"name '{target.id}' is not defined")
                    value = OPERATORS[type(stmt.op)](names[target.id], value)
                assigned[target.id] = value
            except Exception as exc:
                exc.script_line = getattr(stmt, "lineno", 0)
                if isinstance(exc, ScriptRefused) and "(line " not in str(exc):
                    exc.args = (f"{exc} (line {exc.script_line})",)
                raise
        context.update(assigned)  # all or nothing: a failing script leaves the data unchanged
        return True


def _bound_process_loops(task, expression, value):
    """Run-time bounds on values that make the process itself repeat (see the limits above)."""
    spec = getattr(task, "task_spec", None)
    definition = getattr(spec, "event_definition", None)
    if isinstance(definition, CycleTimerEventDefinition) and expression == definition.expression:
        check_timer_cycle(value)
    elif isinstance(spec, MultiInstanceTask) and expression == spec.cardinality:
        check_instance_count(value)


def _json_default(value):
    """Service results are JSON-encoded for SpiffWorkflow; dates become ISO text, Decimal/UUID text."""
    if isinstance(value, (date, Decimal, UUID)):
        return value.isoformat() if isinstance(value, date) else str(value)
    raise TypeError(f"service result of type {type(value).__name__} is not JSON-serializable")


class RestrictedScriptEngine(PythonScriptEngine):
    """PythonScriptEngine using :class:`RestrictedEnvironment`; service tasks go to ``service_dispatcher``.

    ``service_dispatcher(task, operation_name, operation_params)`` is set by the
    caller for the duration of an engine run; its return value is JSON-encoded
    as SpiffWorkflow's ServiceTask expects.
    """

    def __init__(self, environment=None, service_dispatcher=None):
        super().__init__(environment or RestrictedEnvironment())
        self.service_dispatcher = service_dispatcher

    def validate(self, expression):
        check_expression(expression)

    def evaluate(self, task, expression, external_context=None):
        try:
            value = self.environment.evaluate(expression, task.data, external_context)
            _bound_process_loops(task, expression, value)
            return value
        except SpiffWorkflowException as exc:
            exc.add_note(f"Error evaluating expression '{expression}'")
            raise
        except Exception as exc:
            raise WorkflowTaskException(f"Error evaluating expression '{expression}': {exc}",
                                        task=task, exception=exc) from exc

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, external_context or {})
        except SpiffWorkflowException as exc:
            exc.add_note("Error running script")
            raise
        except Exception as exc:
            line = getattr(exc, "script_line", None) or getattr(exc, "lineno", None) or 0
            lines = script.splitlines()
            error_line = lines[line - 1] if 0 < line <= len(lines) else ""
            raise WorkflowTaskException(f"{type(exc).__name__}: {exc}", task=task, exception=exc,
                                        line_number=line, error_line=error_line) from exc

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        try:
            if self.service_dispatcher is None:
                raise RuntimeError(f"no service dispatcher is configured to run '{operation_name}'")
            result = self.service_dispatcher(task, operation_name, operation_params or {})
            return json.dumps(result, default=_json_default)
        except SpiffWorkflowException as exc:
            exc.add_note(f"Error calling service '{operation_name}'")
            raise
        except Exception as exc:
            raise WorkflowTaskException(f"Service '{operation_name}' failed: {type(exc).__name__}: {exc}",
                                        task=task, exception=exc) from exc
