"""The public catalogue (政府信息公开目录): the proactive-disclosure process's own steps that write it, and the
queries the public pages and the annual report read.

Rules this module keeps:

* Only an item that passed the confidentiality review and the head's approval reaches the catalogue (先审后发,
  GIO 17): the BPMN calls :func:`publish` after both, and nothing else writes a row.
* The index number (索引号) is ``<agency code>-<category number>-<year>-<sequence>``, allocated at publication
  from the gapless counter of :mod:`app.services.numbers`, so a draft that is never published uses no number
  and a rolled-back publication gives its number back.
* A correction keeps the index number, updates the row and adds a :class:`CatalogueCorrection` (when, why,
  which fields); a withdrawal takes the item out of every public listing. Both are written to the case history.
* The public side reads only rows with status ``published``, and serves only the attachments listed on them.
"""
from __future__ import annotations

import datetime

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, CatalogueCorrection, CatalogueItem
from app.models.types import utcnow
from app.proactive import codes
from app.services import history
from app.services.clock import today
from app.services.errors import Invalid, NotFound
from app.services.numbers import next_number

# The fields of a published item, as officers and the public call them.
FIELDS = {"title": "标题", "body": "正文", "legal_basis": "公开依据", "files": "附件", "topic": "主题分类",
          "issuer": "发布机构", "written_on": "成文日期"}
PER_PAGE = 20
MAX_QUERY = 100


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def index_number(category_code: str, year: int) -> str:
    """The next index number of the category and year (inside the caller's transaction)."""
    agency = current_app.config["AGENCY"]["code"]
    number = codes.CATEGORIES[category_code].number
    seq = next_number(f"{agency}:catalogue:{number}", year)
    return f"{agency}-{number}-{year}-{seq:04d}"


def _own_files(case, ids) -> list[int]:
    """The attachment ids among ``ids`` that belong to this case (nothing else is ever published)."""
    ids = [i for i in (ids or []) if isinstance(i, int) and not isinstance(i, bool)]
    if not ids:
        return []
    found = set(db.session.execute(select(Attachment.id).where(
        Attachment.id.in_(ids), Attachment.case_id == case.id)).scalars())
    return [i for i in ids if i in found]


def _values(case, data: dict) -> dict:
    return {"title": str(data["title"]).strip(), "body": str(data.get("body") or ""),
            "legal_basis": str(data.get("legal_basis") or ""), "topic": str(data.get("topic") or ""),
            "issuer": str(data["issuer"]).strip(), "written_on": _date(data.get("written_on")),
            "files": _own_files(case, data.get("files"))}


def _search_text(item: CatalogueItem) -> str:
    return " ".join((item.index_number, item.title, item.issuer, item.body))


def item_of(case) -> CatalogueItem | None:
    return db.session.execute(select(CatalogueItem).where(CatalogueItem.case_id == case.id)).scalar_one_or_none()


def publish(ctx, call) -> dict:
    """The ``publish`` step: put the approved item into the catalogue, or publish its approved correction."""
    case, data, day = ctx.case, dict(call.data), today()
    if data.get("secrecy_result") != "cleared" or data.get("approval_result") != "approved":
        # Belt and braces: the BPMN only comes here after both, but a redrawn diagram must not skip them.
        raise Invalid("未经保密审查通过和负责人同意，不得公开（《政府信息公开条例》第十七条）")
    values, item = _values(case, data), item_of(case)
    if item is None:
        item = CatalogueItem(case_id=case.id, department_id=case.department_id, category=data["category"],
                             index_number=index_number(data["category"], day.year), published_on=day,
                             year=day.year, status="published", withdrawal_reason="", **values)
        db.session.add(item)
        summary = f"发布到政府信息公开目录，索引号 {item.index_number}"
        payload = {"index_number": item.index_number, "category": item.category}
    else:
        changed = [FIELDS[k] for k, v in values.items() if getattr(item, k) != v]
        reason = str(data.get("maintenance_reason") or "").strip()
        corrected_on = _date(data.get("changed_on")) or day
        item.corrections.append(CatalogueCorrection(corrected_on=corrected_on, reason=reason, changed=changed))
        for key, value in values.items():
            setattr(item, key, value)
        summary = f"更正已公开信息（索引号 {item.index_number}）：{reason}" + (
            f"；更正内容：{'、'.join(changed)}" if changed else "")
        payload = {"index_number": item.index_number, "reason": reason, "changed": changed}
    item.search_text, item.updated_at = _search_text(item), utcnow()
    db.session.flush()
    history.record(case, "catalogue_published", ctx.actor, summary, payload)
    call.case_updates = {"is_published": True, "index_number": item.index_number,
                         "published_on": item.published_on.isoformat()}
    return {"index_number": item.index_number}


def withdraw(ctx, call) -> dict:
    """The ``withdraw`` step: take the item out of the catalogue, with the reason, for good."""
    item, reason = item_of(ctx.case), str(call.data.get("maintenance_reason") or "").strip()
    if item is None or item.status != "published":
        raise Invalid("该信息未在目录中公开，无需撤回")
    if not reason:
        raise Invalid("撤回已公开的信息须说明理由", {"maintenance_reason": "请填写撤回理由"})
    item.status, item.withdrawn_on, item.withdrawal_reason, item.updated_at = "withdrawn", today(), reason, utcnow()
    history.record(ctx.case, "catalogue_withdrawn", ctx.actor, f"从政府信息公开目录撤回（索引号 {item.index_number}）：{reason}",
                   {"index_number": item.index_number, "reason": reason})
    call.case_updates = {"is_published": False}
    return {"index_number": item.index_number}


# -- what the public reads ---------------------------------------------------------------------------------

def _like(column, term: str):
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def search(q: str = "", category: str = "", year: int | None = None, page: int = 1,
           per_page: int = PER_PAGE) -> tuple[list[CatalogueItem], int]:
    """Published items matching every whitespace-separated term of ``q`` (substring match, Chinese included),
    newest first, with the total. Unknown categories are refused (:class:`Invalid`, naming the field)."""
    if category and category not in codes.CATEGORIES:
        raise Invalid("信息类别不存在", {"category": "信息类别不存在"})
    q = (q or "")[:MAX_QUERY]
    where = [CatalogueItem.status == "published"]
    where += [_like(CatalogueItem.search_text, term) for term in q.split()[:5]]
    if category:
        where.append(CatalogueItem.category == category)
    if year:
        where.append(CatalogueItem.year == year)
    total = db.session.execute(select(func.count()).select_from(CatalogueItem).where(*where)).scalar_one()
    rows = db.session.execute(select(CatalogueItem).where(*where)
                              .order_by(CatalogueItem.published_on.desc(), CatalogueItem.id.desc())
                              .limit(per_page).offset((max(page, 1) - 1) * per_page)).scalars()
    return list(rows), total


def published(index_number: str) -> CatalogueItem:
    """The published item with this index number; :class:`NotFound` when there is none (or it was withdrawn)."""
    item = db.session.execute(select(CatalogueItem).where(
        CatalogueItem.index_number == index_number, CatalogueItem.status == "published")).scalar_one_or_none()
    if item is None:
        raise NotFound("目录中没有该信息，或该信息已撤回")
    return item


def published_file(item: CatalogueItem, attachment_id: int) -> Attachment:
    if attachment_id not in (item.files or []):
        raise NotFound("该信息没有这个附件")
    return db.session.get(Attachment, attachment_id)


def files_of(item: CatalogueItem) -> list[Attachment]:
    if not item.files:
        return []
    return list(db.session.execute(select(Attachment).where(Attachment.id.in_(item.files))
                                   .order_by(Attachment.id)).scalars())


def years() -> list[int]:
    """The years that have published items, newest first (for browsing)."""
    return list(db.session.execute(select(CatalogueItem.year).where(CatalogueItem.status == "published")
                                   .distinct().order_by(CatalogueItem.year.desc())).scalars())


def published_counts(year: int | None = None) -> dict[str, int]:
    """Published (not withdrawn) items per category code, in the year if given (for browsing)."""
    where = [CatalogueItem.status == "published"] + ([CatalogueItem.year == year] if year else [])
    return dict(db.session.execute(select(CatalogueItem.category, func.count()).where(*where)
                                   .group_by(CatalogueItem.category)).all())


def latest(limit: int = 50) -> list[CatalogueItem]:
    """Published items, most recently published or corrected first (the Atom feed)."""
    return list(db.session.execute(select(CatalogueItem).where(CatalogueItem.status == "published")
                                   .order_by(CatalogueItem.updated_at.desc()).limit(limit)).scalars())


def all_published() -> list[tuple[str, datetime.datetime]]:
    """(index number, last change) of every published item (the sitemap)."""
    return list(db.session.execute(select(CatalogueItem.index_number, CatalogueItem.updated_at)
                                   .where(CatalogueItem.status == "published")
                                   .order_by(CatalogueItem.id)).all())


def counts_by_category(year: int) -> dict[str, int]:
    """Items published in ``year`` per category code (annual report, section 二: 主动公开政府信息情况).

    Withdrawn items count too: they were published that year."""
    rows = db.session.execute(select(CatalogueItem.category, func.count()).where(CatalogueItem.year == year)
                              .group_by(CatalogueItem.category)).all()
    found = dict(rows)
    return {code: found.get(code, 0) for code in codes.CATEGORIES}
