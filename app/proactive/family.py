"""Proactive disclosure (主动公开) as a process family: see :mod:`app.families`."""
from app.families import Family

FAMILY = Family(name="proactive", title="主动公开", processes=("proactive_disclosure",))
