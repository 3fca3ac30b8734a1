"""Proactive disclosure (主动公开) as a process family: see :mod:`app.families`."""
from app.families import Family
from app.proactive import blueprint, catalogue, codes, demo, hooks

FAMILY = Family(
    name="proactive",
    title="主动公开",
    processes=("proactive_disclosure",),
    hooks={"proactive_disclosure": hooks},
    codes=(codes,),
    clock_kinds=("proactive_publication",),
    party_keys=("issuer",),  # the case list's 当事人 column: the publishing body
    clock_titles={"publication": "主动公开期限"},
    actions={"publish": catalogue.publish, "withdraw": catalogue.withdraw},
    demo=demo.seed,
    public_blueprints=(blueprint.bp,),
)
