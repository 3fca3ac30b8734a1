"""Petitions (信访) and their review and re-review (复查/复核) as a process family: see :mod:`app.families`."""
from app.families import Family
from app.petition import codes, hooks, letters, public_status, reviews

FAMILY = Family(
    name="petition",
    title="信访",
    processes=("petition", "petition_review"),
    # One letters module serves both processes (the review's answers are petition letters, XF 35–36).
    letters=letters,
    hooks={"petition": hooks, "petition_review": reviews},
    public_status={"petition": public_status, "petition_review": public_status},
    codes=(codes,),
    clock_kinds=("petition_intake", "petition_handling", "petition_review", "petition_review_answer"),
    party_keys=("petitioner_name",),
)
