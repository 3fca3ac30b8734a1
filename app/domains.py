"""Kept for code written before the family registry: the process family's letters and hooks.

New code asks :mod:`app.families`, where each process family declares its letters, hooks, clocks and the
rest in its own ``family.py``.
"""
from . import families


def for_process(process_key: str):
    """The letters module of the process's family (raises ``ServiceError`` when it has none)."""
    return families.letters(process_key)


def hook(process_key: str, name: str):
    """The process's hook ``name``, or ``None`` when the process has none."""
    return families.hook(process_key, name)


def public_wording(process_key: str):
    """The process's public-status module (app.public): stage wording, the periods shown, the letters addressed
    to the applicant; ``None`` when the public side does not show the process."""
    return families.public_status(process_key)
