"""Government-information submission (政务信息报送) as a process family: see :mod:`app.families`."""
from app.families import Family
from app.information import blueprint, codes, demo, hooks, scores

FAMILY = Family(
    name="information",
    title="政务信息报送",
    processes=("information_report",),
    hooks={"information_report": hooks},
    codes=(codes,),
    actions={"register": scores.register, "score": scores.score, "follow_up": scores.follow_up},
    demo=demo.seed,
    blueprints=(blueprint.bp,),
)
