"""Process-specific code, one small module per process, looked up by process key.

The generic services never name a process; what differs (letter templates,
document series) is reached through here.
"""
from .disclosure import hooks as disclosure_hooks
from .disclosure import letters as disclosure_letters
from .disclosure import public_status as disclosure_public
from .petition import hooks as petition_hooks
from .petition import letters as petition_letters
from .petition import public_status as petition_public
from .petition import reviews as petition_reviews
from .services.errors import ServiceError
from .supervision import hooks as supervision_hooks
from .supervision import letters as supervision_letters

_DOMAINS = {"disclosure_request": disclosure_letters, "petition": petition_letters,
            "petition_review": petition_letters,
            "supervision": supervision_letters}


def for_process(process_key: str):
    try:
        return _DOMAINS[process_key]
    except KeyError:
        raise ServiceError(f"流程“{process_key}”没有可用的文书模板") from None


# Optional per-process hooks into the generic task views and commands (see :func:`hook`):
#   task_context(user, case, task) -> {name: {"title", "help", "field", "items": [...]}} shown with the task;
#   check_submission(user, case, task, data) -> (derived case data, {field: message}) before completion;
#   check_start(user, data) -> (derived case data, {field: message}) before a case is registered;
#   report_facts(case, closed) -> {case_fact column: value} the family's counting facts (app.services.facts);
#   assess_fee(case, method, pages) -> case data (fee amount …) for the ``assess_fee`` service task.
_HOOKS = {"disclosure_request": disclosure_hooks, "petition": petition_hooks, "petition_review": petition_reviews,
          "supervision": supervision_hooks}
# Hooks also read: confidential_fields() -> ((field, condition), …) confidential in every version (in code,
# so a deploy that drops a form annotation weakens nothing); letter modules may define
# letter_agency(case, kind, data) -> the agency mapping (name, series prefix) a letter speaks for;
# linked_readable(user, case) -> bool: the user reads the case through a linked one (app.services.access);
# related_cases(case) -> [(relation, case)]: linked cases, shown on the case page (app.services.reading);
# case_panel(user, case) -> {"template": …, …}: a section of the case page the process adds (e.g. progress).


def hook(process_key: str, name: str):
    """The process's hook ``name``, or ``None`` when the process has none."""
    return getattr(_HOOKS.get(process_key), name, None)


# How each process looks from the public side (app.public): stage wording, the periods shown, the letters
# addressed to the applicant. A process without an entry cannot be looked up publicly.
_PUBLIC = {"disclosure_request": disclosure_public, "petition": petition_public, "petition_review": petition_public}


def public_wording(process_key: str):
    """The process's public-status module, or ``None`` when the public side does not show it."""
    return _PUBLIC.get(process_key)
