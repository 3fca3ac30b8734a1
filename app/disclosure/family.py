"""Disclosure upon application (依申请公开, GIO ch. IV) as a process family: see :mod:`app.families`."""
from app.disclosure import codes, hooks, letters, public_status
from app.families import Family

FAMILY = Family(
    name="disclosure",
    title="依申请公开",
    processes=("disclosure_request",),
    letters=letters,
    hooks={"disclosure_request": hooks},
    public_status={"disclosure_request": public_status},
    codes=(codes,),
    clock_kinds=("disclosure_correction", "disclosure_reply", "third_party_answer", "fee_payment"),
    # Stored clock names of bpmn/disclosure_request.bpmn → what officers call them.
    clock_titles={"reply": "答复期限", "correction": "补正告知期限", "third_party": "第三方答复期限",
                  "fee": "缴费期限"},
    party_keys=("applicant_name",),
)
