"""Supervision items (督查督办) as a process family: see :mod:`app.families`."""
from app.families import Family
from app.supervision import blueprint, codes, hooks, letters

FAMILY = Family(
    name="supervision",
    title="督查督办",
    processes=("supervision",),
    letters=letters,
    hooks={"supervision": hooks},
    codes=(codes,),
    clock_kinds=("supervision_item", "supervision_review"),
    blueprints=(blueprint.bp,),
    party_keys=("lead_department",),  # the case list's 当事人 column: the unit answering for the item
)
