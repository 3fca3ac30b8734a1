"""The registry of process families: one declared interface per family, registered in one place.

A process family (disclosure requests, petitions, supervision items, …) is one package under ``app/`` with a
``family.py`` that declares a :class:`Family`: the BPMN process keys it owns, its letters (and thereby its
document series), its hooks into the generic commands, its code tables, the statutory clocks it starts, the
case-data keys that name the person a case is about, and the service steps of its own that its BPMN may call.

Generic services ask this module — :func:`for_process`, :func:`letters`, :func:`hook`, :func:`action`,
:func:`clock_title`, :func:`party_keys` — and never name a process. Adding a family means writing its package
and adding it to :func:`families` below; nothing else changes.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable, Mapping

from workflows.clocks import CLOCK_KINDS

from .services.errors import ServiceError

# What a hook module may define (all optional), called by the generic task views and commands:
#   task_context(user, case, task) -> {name: {"title", "help", "field", "items": [...]}} shown with the task;
#   check_submission(user, case, task, data) -> (derived case data, {field: message}) before completion;
#   check_start(user, data) -> (derived case data, {field: message}) before a case is registered;
#   report_facts(case, closed) -> {case_fact column: value} the family's counting facts (app.services.facts);
#   assess_fee(case, method, pages) -> case data (fee amount …) for the ``assess_fee`` service task;
#   confidential_fields() -> ((field, condition), …) confidential in every version (in code, so a deploy that
#     drops a form annotation weakens nothing);
#   linked_readable(user, case) -> bool: the user reads the case through a linked one (app.services.access);
#   related_cases(case) -> [(relation, case)]: linked cases, shown on the case page (app.services.reading);
#   case_panel(user, case) -> {"template": …, …}: a section of the case page the process adds (e.g. progress).
# A letters module may define letter_agency(case, kind, data) -> the agency a letter speaks for (its name heads
# the letter, its series numbers it; app.services.letters).
HOOK_NAMES = ("task_context", "check_submission", "check_start", "report_facts", "assess_fee",
              "confidential_fields", "linked_readable", "related_cases", "case_panel")


@dataclass(frozen=True)
class Family:
    """Everything that is a family's own, as the generic services see it.

    ``letters``: a module with ``LETTER_KINDS`` ({kind: {"title_suffix", "series", "template", …}}),
    ``render_letter(kind, **letter_data)`` and ``LetterDataError``; the ``series`` of its kinds are the
    family's document series. ``hooks``: process key → hook module (see :data:`HOOK_NAMES`).
    ``actions``: name → ``handler(ctx, call)`` for the ``family_action`` service operator, the family's own
    side effects (publishing into a catalogue, scoring) run inside the case's transaction.
    ``clock_kinds``: the factories of :data:`workflows.clocks.CLOCK_KINDS` its processes start;
    ``clock_titles``: stored clock name → what officers call it (default: the clock's statutory name).
    ``party_keys``: case-data keys naming the person a case is about (inbox filter 申请人/信访人).
    ``public_status``: process key → how its cases look from the public side (app.public: stage wording, the
    periods shown, the letters addressed to the applicant); a process without one cannot be looked up publicly.
    ``blueprints``: the family's own officer pages (e.g. a bulletin page); ``public_blueprints``: its pages on
    the public side, served also when the public side is served alone (e.g. the catalogue).
    ``demo``: a function that registers a few demo cases through the services (``flask seed-demo``).
    """

    name: str
    title: str
    processes: tuple[str, ...]
    letters: ModuleType | None = None
    hooks: Mapping[str, ModuleType] = field(default_factory=dict)
    codes: tuple[ModuleType, ...] = ()
    clock_kinds: tuple[str, ...] = ()
    clock_titles: Mapping[str, str] = field(default_factory=dict)
    party_keys: tuple[str, ...] = ()
    actions: Mapping[str, Callable] = field(default_factory=dict)
    public_status: Mapping[str, ModuleType] = field(default_factory=dict)
    # Flask blueprints of the family's own pages (registered by the app factory for every family).
    blueprints: tuple = ()
    public_blueprints: tuple = ()
    # ``demo(users_by_username) -> count``: demo cases for ``flask seed-demo`` (never run by the tests' seed).
    demo: Callable | None = None

    @property
    def document_series(self) -> dict[str, str]:
        """Letter kind → the word of its document number (<abbr><series>〔2026〕12号)."""
        kinds = getattr(self.letters, "LETTER_KINDS", {})
        return {kind: spec["series"] for kind, spec in kinds.items()}

    def check(self) -> None:
        """Refuse a declaration that names what does not exist (run once when the registry is built)."""
        unknown = [kind for kind in self.clock_kinds if kind not in CLOCK_KINDS]
        if unknown:
            raise ValueError(f"family {self.name}: unknown clock kinds {unknown}")
        strays = (set(self.hooks) | set(self.public_status)) - set(self.processes)
        if strays:
            raise ValueError(f"family {self.name}: hooks for processes it does not own: {sorted(strays)}")


@functools.cache
def families() -> tuple[Family, ...]:
    """Every registered family. Built on first use, so a family package may import :class:`Family` from here."""
    from .disclosure.family import FAMILY as disclosure
    from .information.family import FAMILY as information
    from .petition.family import FAMILY as petition
    from .proactive.family import FAMILY as proactive
    from .supervision.family import FAMILY as supervision
    registered = (disclosure, petition, supervision, proactive, information)
    for family in registered:
        family.check()
    return registered


@functools.cache
def _by_process() -> dict[str, Family]:
    found: dict[str, Family] = {}
    for family in families():
        for key in family.processes:
            if key in found:
                raise ValueError(f"process {key} is declared by two families")
            found[key] = family
    return found


def for_process(process_key: str) -> Family | None:
    """The family that owns ``process_key``, or None (a process deployed without a family of its own)."""
    return _by_process().get(process_key)


def letters(process_key: str) -> ModuleType:
    """The letters module of the process's family; :class:`ServiceError` when it has none."""
    family = for_process(process_key)
    if family is None or family.letters is None:
        raise ServiceError(f"流程“{process_key}”没有可用的文书模板")
    return family.letters


def hook(process_key: str, name: str):
    """The process's hook ``name`` (one of :data:`HOOK_NAMES`), or None when the process has none."""
    family = for_process(process_key)
    return getattr(family.hooks.get(process_key), name, None) if family else None


def public_status(process_key: str) -> ModuleType | None:
    """The process's public-status module, or None when the public side does not show it."""
    family = for_process(process_key)
    return family.public_status.get(process_key) if family else None


def action(process_key: str, name: str) -> Callable:
    """The family's service step ``name`` for the ``family_action`` operator; :class:`ServiceError` if none."""
    family = for_process(process_key)
    found = family.actions.get(name) if family else None
    if found is None:
        raise ServiceError(f"流程“{process_key}”没有名为“{name}”的办理步骤")
    return found


def clock_title(name: str) -> str | None:
    """What officers call the stored clock ``name`` (e.g. ``reply`` → 答复期限), or None if no family says."""
    for family in families():
        if name in family.clock_titles:
            return family.clock_titles[name]
    return None


def party_keys() -> tuple[str, ...]:
    """Every family's case-data keys that name the person a case is about, without repeats."""
    return tuple(dict.fromkeys(key for family in families() for key in family.party_keys))
