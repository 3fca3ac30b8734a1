"""The annual report on government-information disclosure (政府信息公开工作年度报告, 国办公开办函〔2021〕30号).

Counted in SQL over ``case_fact`` (one aggregate query for section 三, one for section 四), by the rules of
DOMAIN.md §3, for the calendar year ``[start, end]``:

- 一 本年新收: legal receipt date in the year;
- 二 上年结转: received before the year and not closed before it started;
- 三 results: closed in the year, in the row of its result (``case_fact.result_row``), 三（七） all of them;
- 四 结转下年度: received by the year's end and not closed by it.

So 一 + 二 = 三（七） + 四 per column holds for every case with a receipt date, a result and an applicant type;
the checks list the cases that break it. Section 四 counts the remedies filed in the year on disclosure cases,
each under its outcome as decided by the year's end (decided later: 尚未审结). Section 六 reports the fees
paid in the year.

Every cell is a condition (:func:`cell_condition`, :func:`remedy_condition`): the count and the list of
cases behind a number come from the same condition, so a link never shows other cases than it counts.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, not_, or_, select, true

from ..disclosure import remedies
from ..disclosure.facts import RESULT_ROWS
from ..extensions import db
from ..models import AnnualReportFreeze, AnnualReportText, Case, CaseFact, Remedy, User
from ..services.clock import today
from ..services.errors import Conflict, Forbidden, Invalid

PROCESS_KEY = "disclosure_request"
READER_ROLES = ("head", "auditor", "admin")
EDITOR_ROLES = ("head", "admin")  # the office writes sections 一, 二, 五 and publishes; auditors only read

APPLICANT_COLUMNS = ("natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
                     "legal_service_org", "other_org")
COLUMNS = (*APPLICANT_COLUMNS, "total")
COLUMN_LABELS = {"natural_person": "自然人", "commercial_enterprise": "商业企业", "research_institution": "科研机构",
                 "public_interest_org": "社会公益组织", "legal_service_org": "法律服务机构", "other_org": "其他",
                 "total": "总计"}
ROWS = ("1", "2", *RESULT_ROWS, "3.7", "4")
ROW_LABELS = {"1": "一、本年新收政府信息公开申请数量", "2": "二、上年结转政府信息公开申请数量", **RESULT_ROWS,
              "3.7": "（七）总计", "4": "四、结转下年度继续办理"}
# Group headings printed before the first row of a group (the published table's left column).
ROW_GROUPS = {"3.1": "三、本年度办理结果", "3.3.1": "（三）不予公开", "3.4.1": "（四）无法提供",
              "3.5.1": "（五）不予处理", "3.6.1": "（六）其他处理"}

REMEDY_KINDS = remedies.KINDS
OUTCOMES = remedies.OUTCOMES
SECTION4_COLUMNS = (*OUTCOMES, "total")
TEXT_SECTIONS = {"section1": "一、总体情况", "section2": "二、主动公开政府信息情况",
                 "section5": "五、政府信息公开工作存在的主要问题及改进情况"}
MAX_TEXT = 20000
FIRST_YEAR = 2008  # the first year of annual reports (the 2007 regulations came into force on 2008-05-01)

CHECK_INVARIANT = "一 + 二 = 三（七） + 四（每一列）"
CHECK_RESULTS = "三（七）等于各项办理结果之和（每一列）"
CHECK_COLUMNS = "总计列等于各类申请人之和（每一行）"


# -- who, which year ------------------------------------------------------------------------------------------

def require_reader(user: User) -> None:
    if not user.has_role(*READER_ROLES):
        raise Forbidden("只有负责人、审计人员和管理员可以查看政府信息公开工作年度报告")


def require_editor(user: User) -> None:
    require_reader(user)
    if not user.has_role(*EDITOR_ROLES):
        raise Forbidden("只有负责人和管理员可以编辑或发布年度报告")


def parse_year(raw) -> int:
    """A report year from a URL or form: a whole number from 2008 to this year."""
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        raise Invalid("年度应为四位数字，如 2026", {"year": "应为四位数字"}) from None
    if not FIRST_YEAR <= year <= today().year:
        raise Invalid(f"年度应在 {FIRST_YEAR} 年至 {today().year} 年之间", {"year": "超出范围"})
    return year


# -- the conditions behind every cell -------------------------------------------------------------------------

def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def row_condition(year: int, row: str):
    """SQL condition over ``CaseFact``: the case counts in ``row`` of section 三 for ``year``."""
    start, end = _bounds(year)
    received, closed = CaseFact.received_on, CaseFact.closed_on
    open_at = {  # open at the start of the year, at its end
        "2": or_(closed.is_(None), closed >= start), "4": or_(closed.is_(None), closed > end)}
    if row == "1":
        return and_(received >= start, received <= end)
    if row == "2":
        return and_(received < start, open_at["2"])
    if row == "4":
        return and_(received <= end, open_at["4"])
    if row == "3.7":
        return and_(closed >= start, closed <= end)
    if row in RESULT_ROWS:
        return and_(closed >= start, closed <= end, CaseFact.result_row == row)
    raise Invalid("没有这一行", {"row": f"应为 {', '.join(ROWS)} 之一"})


def column_condition(column: str):
    if column == "total":
        return true()
    if column in APPLICANT_COLUMNS:
        return CaseFact.applicant_type == column
    raise Invalid("没有这一列", {"column": f"应为 {', '.join(COLUMNS)} 之一"})


def _in_scope(year: int):
    """Every case that can count anywhere in the year's section 三 (so one scan serves all cells)."""
    start, end = _bounds(year)
    return and_(CaseFact.process_key == PROCESS_KEY,
                or_(CaseFact.closed_on.is_(None), CaseFact.closed_on >= start),
                or_(CaseFact.received_on.is_(None), CaseFact.received_on <= end))


def outcome_condition(year: int, outcome: str):
    """SQL condition over ``Remedy``: its outcome as of the year's end is ``outcome`` (``total``: any)."""
    end = _bounds(year)[1]
    decided = and_(Remedy.decided_on.is_not(None), Remedy.decided_on <= end, Remedy.outcome != "pending")
    if outcome == "pending":
        return not_(decided)
    if outcome == "total":
        return true()
    if outcome in OUTCOMES:
        return and_(decided, Remedy.outcome == outcome)
    raise Invalid("没有这一列", {"outcome": f"应为 {', '.join(SECTION4_COLUMNS)} 之一"})


def remedy_condition(year: int, kind: str, outcome: str):
    """SQL condition over ``Remedy``: counted in section 四 under ``kind`` and ``outcome``."""
    if kind not in REMEDY_KINDS:
        raise Invalid("没有这一类救济", {"remedy": f"应为 {', '.join(REMEDY_KINDS)} 之一"})
    return and_(Remedy.kind == kind, _filed_in(year), outcome_condition(year, outcome))


def _filed_in(year: int):
    start, end = _bounds(year)
    return and_(Remedy.filed_on >= start, Remedy.filed_on <= end)


def _disclosure_remedies():
    return select(Remedy.id).join(Case, Case.id == Remedy.case_id).where(Case.process_key == PROCESS_KEY)


# -- the numbers ----------------------------------------------------------------------------------------------

def section3_query(year: int):
    """The one aggregate behind section 三: per applicant type, a filtered count per row."""
    return (select(CaseFact.applicant_type,
                   *[func.count().filter(row_condition(year, row)).label(f"r{i}") for i, row in enumerate(ROWS)])
            .where(_in_scope(year)).group_by(CaseFact.applicant_type))


def section3(year: int) -> dict[str, dict[str, int]]:
    rows = {row: {column: 0 for column in COLUMNS} for row in ROWS}
    for result in db.session.execute(section3_query(year)):
        applicant_type, counts = result[0], result[1:]
        for row, n in zip(ROWS, counts):
            if applicant_type in APPLICANT_COLUMNS:
                rows[row][applicant_type] += n
            rows[row]["total"] += n
    return rows


def section4_query(year: int):
    """The one aggregate behind section 四: per kind of remedy, a filtered count per outcome."""
    return (select(Remedy.kind, *[func.count().filter(outcome_condition(year, o)).label(o)
                                  for o in SECTION4_COLUMNS])
            .where(Remedy.id.in_(_disclosure_remedies()), _filed_in(year))
            .group_by(Remedy.kind))


def section4(year: int) -> dict[str, dict[str, int]]:
    figures = {kind: {o: 0 for o in SECTION4_COLUMNS} for kind in REMEDY_KINDS}
    for result in db.session.execute(section4_query(year)):
        if result[0] in figures:
            figures[result[0]] = dict(zip(SECTION4_COLUMNS, result[1:]))
    return figures


def section6(year: int) -> dict:
    """Fees collected in the year (收取信息处理费情况): number of payments and the sum in yuan."""
    start, end = _bounds(year)
    count, total = db.session.execute(
        select(func.count(), func.coalesce(func.sum(CaseFact.fee_amount), 0))
        .where(CaseFact.process_key == PROCESS_KEY, CaseFact.fee_paid_on >= start, CaseFact.fee_paid_on <= end)
    ).one()
    return {"fees_paid_cases": count, "fees_collected_yuan": int(total)}


# -- checks ---------------------------------------------------------------------------------------------------

def _tracking_numbers(condition) -> list[str]:
    return list(db.session.execute(select(Case.tracking_number).join(CaseFact, CaseFact.case_id == Case.id)
                                   .where(condition).order_by(Case.tracking_number)).scalars())


def checks(year: int, rows: dict) -> list[dict]:
    """The invariant and the inner sums, each with the cases that make it fail (empty when it holds)."""
    invariant_ok = all(rows["1"][c] + rows["2"][c] == rows["3.7"][c] + rows["4"][c] for c in COLUMNS)
    results_ok = all(rows["3.7"][c] == sum(rows[r][c] for r in RESULT_ROWS) for c in COLUMNS)
    columns_ok = all(rows[r]["total"] == sum(rows[r][c] for c in APPLICANT_COLUMNS) for r in ROWS)
    scope = _in_scope(year)
    before, after = or_(row_condition(year, "1"), row_condition(year, "2")), \
        or_(row_condition(year, "3.7"), row_condition(year, "4"))
    counted_once = or_(and_(before, not_(after)), and_(after, not_(before)), CaseFact.received_on.is_(None))
    return [
        {"rule": CHECK_INVARIANT, "ok": invariant_ok,
         "cases": [] if invariant_ok else _tracking_numbers(and_(scope, counted_once))},
        {"rule": CHECK_RESULTS, "ok": results_ok,
         "cases": [] if results_ok else _tracking_numbers(and_(
             scope, row_condition(year, "3.7"),
             or_(CaseFact.result_row.is_(None), CaseFact.result_row.not_in(list(RESULT_ROWS)))))},
        {"rule": CHECK_COLUMNS, "ok": columns_ok,
         "cases": [] if columns_ok else _tracking_numbers(and_(
             scope, or_(CaseFact.applicant_type.is_(None),
                        CaseFact.applicant_type.not_in(list(APPLICANT_COLUMNS)))))},
    ]


# -- the report -----------------------------------------------------------------------------------------------

@dataclass
class AnnualReport:
    year: int
    section3: dict
    section4: dict
    section6: dict
    texts: dict
    checks: list
    frozen: AnnualReportFreeze | None = None
    differences: list = field(default_factory=list)  # [{"section", "row", "column", "frozen", "current"}]

    def numbers(self) -> dict:
        return {"section3": self.section3, "section4": self.section4, "section6": self.section6}

    def as_dict(self) -> dict:
        """The API contract (issue 11), plus section6, texts and the differences from the published report."""
        return {"year": self.year, "section3": {"rows": self.section3}, "section4": self.section4,
                "section6": self.section6, "texts": self.texts, "checks": self.checks,
                "frozen": self.frozen is not None,
                "frozen_at": self.frozen.frozen_at.isoformat() if self.frozen else None,
                "sha256": self.frozen.sha256 if self.frozen else None, "differences": self.differences}


def texts(year: int) -> dict:
    row = db.session.get(AnnualReportText, year)
    stored = row.content if row else {}
    return {key: str(stored.get(key) or "") for key in TEXT_SECTIONS}


def current(year: int) -> AnnualReport:
    """The report as the cases stand now (never the frozen numbers)."""
    rows = section3(year)
    return AnnualReport(year, rows, section4(year), section6(year), texts(year), checks(year, rows))


def annual_report(user: User, year: int) -> AnnualReport:
    """The year's report for ``user``: for a published year, the published numbers with the differences
    the cases show now; else the numbers as they stand."""
    require_reader(user)
    report = current(year)
    frozen = db.session.get(AnnualReportFreeze, year)
    if frozen is None:
        return report
    published = AnnualReport(year, frozen.numbers["section3"], frozen.numbers["section4"],
                             frozen.numbers["section6"], frozen.numbers.get("texts", report.texts),
                             report.checks, frozen)
    published.differences = differences(frozen.numbers, report.numbers())
    return published


def differences(published: dict, now: dict) -> list[dict]:
    """Every number that changed since publication."""
    found = []
    for section in ("section3", "section4"):
        for row, cells in now[section].items():
            for column, n in cells.items():
                was = published[section].get(row, {}).get(column)
                if was != n:
                    found.append({"section": section, "row": row, "column": column, "frozen": was, "current": n})
    for key, n in now["section6"].items():
        if published["section6"].get(key) != n:
            found.append({"section": "section6", "row": key, "column": None,
                          "frozen": published["section6"].get(key), "current": n})
    return found


SECTION6_LABELS = {"fees_paid_cases": "收取信息处理费的申请（件）", "fees_collected_yuan": "收取信息处理费（元）"}


def difference_label(difference: dict) -> str:
    """Where a changed number sits, in the report's own words (e.g. 三、（一）予以公开 · 自然人)."""
    section, row, column = difference["section"], difference["row"], difference["column"]
    if section == "section3":
        return f"三、{ROW_LABELS.get(row, row)} · {COLUMN_LABELS.get(column, column)}"
    if section == "section4":
        return f"四、{REMEDY_KINDS.get(row, row)} · {({**OUTCOMES, 'total': '总计'}).get(column, column)}"
    return f"六、{SECTION6_LABELS.get(row, row)}"


def digest(numbers: dict) -> str:
    canonical = json.dumps(numbers, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def freeze(user: User, year: int) -> AnnualReportFreeze:
    """Publish the year: store its numbers and texts with their SHA-256. Refused while a check fails, for
    the current year (it is not over) and for a year already published."""
    require_editor(user)
    if year >= today().year:
        raise Conflict("年度尚未结束，不能发布该年度报告")
    if db.session.get(AnnualReportFreeze, year) is not None:
        raise Conflict(f"{year} 年度报告已发布，发布后的数字不再改变")
    report = current(year)
    failing = [c["rule"] for c in report.checks if not c["ok"]]
    if failing:
        raise Conflict("校验未通过，不能发布：" + "；".join(failing))
    numbers = {**report.numbers(), "texts": report.texts}
    row = AnnualReportFreeze(year=year, numbers=numbers, sha256=digest(numbers), frozen_by_id=user.id)
    db.session.add(row)
    db.session.commit()
    return row


def save_texts(user: User, year: int, values: dict) -> dict:
    """Store the office's sections 一, 二 and 五 (plain text; refused once the year is published)."""
    require_editor(user)
    if db.session.get(AnnualReportFreeze, year) is not None:
        raise Conflict(f"{year} 年度报告已发布，不能再修改")
    errors = {}
    content = {}
    for key, title in TEXT_SECTIONS.items():
        value = values.get(key, "")
        if not isinstance(value, str):
            errors[key] = "应为文字"
        elif len(value) > MAX_TEXT:
            errors[key] = f"不能超过 {MAX_TEXT} 字"
        else:
            content[key] = value.strip()
    if errors:
        raise Invalid("年度报告文字有误", errors)
    row = db.session.get(AnnualReportText, year) or AnnualReportText(year=year)
    row.content, row.updated_by_id = content, user.id
    db.session.add(row)
    db.session.commit()
    return content


# -- the cases behind a number --------------------------------------------------------------------------------

def cell_cases(user: User, year: int, row: str, column: str) -> list[Case]:
    """The cases counted in section 三 cell (row, column), as the current numbers count them."""
    require_reader(user)
    condition = and_(_in_scope(year), row_condition(year, row), column_condition(column))
    return list(db.session.execute(select(Case).join(CaseFact, CaseFact.case_id == Case.id).where(condition)
                                   .order_by(Case.tracking_number)).scalars())


def remedy_cases(user: User, year: int, kind: str, outcome: str) -> list[Case]:
    """The cases whose remedies are counted in section 四 cell (kind, outcome)."""
    require_reader(user)
    ids = select(Remedy.case_id).where(Remedy.id.in_(_disclosure_remedies()), remedy_condition(year, kind, outcome))
    return list(db.session.execute(select(Case).where(Case.id.in_(ids)).order_by(Case.tracking_number)).scalars())
