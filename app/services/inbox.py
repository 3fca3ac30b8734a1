"""The two lists of the plain inbox, unfiltered and unpaginated: my tasks and those I may claim.

The queries (and who may see what) live in ``filters``; the inbox page and the
API use ``filters.search`` directly.  These stay for callers that want whole
lists (scripts, benchmarks).
"""
from ..models import HumanTask, User
from . import filters


def my_tasks(user: User) -> list[HumanTask]:
    return filters.every_task(user, "mine")


def claimable_tasks(user: User) -> list[HumanTask]:
    return filters.every_task(user, "claimable")
