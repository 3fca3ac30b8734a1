"""Handlers for service tasks, bound to one command (its case, actor and transaction)."""
from dataclasses import dataclass

from flask import current_app

from workflows.services import ServiceCall

from .. import families
from ..models import Case, User
from . import clocks, documents, history, letters, notifications
from .clock import today
from .errors import Invalid, ServiceError
from .numbers import next_number


@dataclass
class CommandContext:
    case: Case
    actor: User | None


def document_number(series: str, year: int, agency: dict | None = None) -> str:
    """The next number of ``agency``'s (default: the configured one's) ``series`` in ``year``, without gaps."""
    agency = agency or current_app.config["AGENCY"]
    seq = next_number(f"{agency['code']}:{series}", year)
    return f"{agency['abbreviation']}{series}〔{year}〕{seq}号"


def bind(ctx: CommandContext) -> dict:
    """The handler table for one engine run."""

    def generate_letter(call: ServiceCall):
        domain = families.letters(ctx.case.process_key)
        kind = call.params.get("kind")
        if kind not in domain.LETTER_KINDS:
            raise ServiceError(f"未知的文书种类：{kind}")
        spec = domain.LETTER_KINDS[kind]
        issued_on = today()
        agency = letters.letter_agency(ctx.case, kind, call.data)
        number = document_number(spec["series"], issued_on.year, agency)
        try:
            # The same path as the preview on the deciding task's page (services/letters.py).
            pdf = letters.render_case_letter(ctx.case, kind, call.data, document_number=number, issued_on=issued_on,
                                             agency=agency)
        except domain.LetterDataError as exc:
            raise Invalid(f"无法生成{spec['title_suffix']}：{exc}") from exc
        title = spec["title_suffix"]
        doc = documents.store(ctx.case, kind=kind, title=title, number=number, content=pdf,
                              actor=ctx.actor, filename=f"{ctx.case.tracking_number}-{kind}.pdf")
        return {"document_id": doc.id, "number": number, "sha256": doc.sha256}

    def clock(call: ServiceCall):
        p = call.params
        call.case_updates = clocks.apply_action(ctx.case, ctx.actor, str(p["name"]), str(p["action"]),
                                                p.get("on"), str(p.get("reason") or ""), p.get("kind"),
                                                p.get("days"), p.get("until"))
        return {"due_date": call.case_updates[f"{p['name']}_due_date"]}

    def notify(call: ServiceCall):
        message = str(call.params["message"])
        if call.params.get("pending"):  # name who still holds that task, e.g. the departments yet to report
            message += f"（尚未办理：{notifications.pending_label(ctx.case, str(call.params['pending'])) or '无'}）"
        call.params["message"] = message
        told = notifications.notify_lane(ctx.case, str(call.params["lane"]), message,
                                         str(call.params.get("kind") or "info"),
                                         task=str(call.params["task"]) if call.params.get("task") else None)
        history.record(ctx.case, "notification", None, f"通知“{call.params['lane']}”：{call.params['message']}",
                       {"lane": call.params["lane"], "recipients": told})
        return {"notified": told}

    def assess_fee(call: ServiceCall):
        hook = families.hook(ctx.case.process_key, "assess_fee")
        if hook is None:
            raise ServiceError("该流程不收取信息处理费")
        try:
            call.case_updates = hook(ctx.case, str(call.params["method"]), call.params.get("pages"))
        except ValueError as exc:
            raise Invalid(f"无法计算信息处理费：{exc}", {"fee_pages": str(exc)}) from exc
        history.record(ctx.case, "fee_assessed", ctx.actor,
                       f"信息处理费：{call.case_updates['fee_amount']}元（{call.case_updates['fee_basis']}）",
                       dict(call.case_updates))
        return {"fee_amount": call.case_updates["fee_amount"]}

    def family_action(call: ServiceCall):
        # A step of the process family's own (e.g. publish into the catalogue), declared in its family.py.
        step = families.action(ctx.case.process_key, str(call.params["name"]))
        return step(ctx, call)

    return {"generate_letter": generate_letter, "clock": clock, "notify": notify, "family_action": family_action,
            "assess_fee": assess_fee}
