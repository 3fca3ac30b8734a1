"""Process-specific code, one small module per process, looked up by process key.

The generic services never name a process; what differs (letter templates,
document series) is reached through here.
"""
from .disclosure import letters as disclosure_letters
from .disclosure import public_status as disclosure_public
from .petition import hooks as petition_hooks
from .petition import letters as petition_letters
from .petition import public_status as petition_public
from .petition import reviews as petition_reviews
from .services.errors import ServiceError
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
#   check_start(user, data) -> (derived case data, {field: message}) before a case is registered.
_HOOKS = {"petition": petition_hooks, "petition_review": petition_reviews}


def hook(process_key: str, name: str):
    """The process's hook ``name``, or ``None`` when the process has none."""
    return getattr(_HOOKS.get(process_key), name, None)


# How each process looks from the public side (app.public): stage wording, the periods shown, the letters
# addressed to the applicant. A process without an entry cannot be looked up publicly.
_PUBLIC = {"disclosure_request": disclosure_public, "petition": petition_public, "petition_review": petition_public}


def public_wording(process_key: str):
    """The process's public-status module, or ``None`` when the public side does not show it."""
    return _PUBLIC.get(process_key)
