"""Process-specific code, one small module per process, looked up by process key.

The generic services never name a process; what differs (letter templates,
document series) is reached through here.
"""
from .disclosure import letters as disclosure_letters
from .petition import letters as petition_letters
from .services.errors import ServiceError

_DOMAINS = {"disclosure_request": disclosure_letters, "petition": petition_letters}


def for_process(process_key: str):
    try:
        return _DOMAINS[process_key]
    except KeyError:
        raise ServiceError(f"流程“{process_key}”没有可用的文书模板") from None
