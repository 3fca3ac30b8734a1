"""Inbox filters: validated search parameters over open tasks, and filters saved and shared by department.

A ``TaskFilter`` is parsed from query-string style arguments (the inbox URL, the
API's ``GET /tasks``, a saved filter's ``params``) and turned into SQL over the
open tasks the user may see; access is decided here, never by the caller.

Free text matches substrings of ``case.search_text`` (tracking number and every
text value of the case data).  Chinese has no spaces between words, so a
substring match is the honest "full-text" search: ``ILIKE '%老旧小区%'``.  On
PostgreSQL the pg_trgm GIN index of migration 0003 serves it for terms of three
characters or more; terms of one or two characters (most Chinese names) are
served by the gram index of app.services.search_grams on both databases, the
substring match staying as the exact check.  Whitespace separates terms, all
of which must match.
"""
from dataclasses import dataclass, fields
from datetime import date, timedelta

from sqlalchemy import and_, func, not_, or_, select

from .. import families
from ..extensions import db
from ..ids import parse_int
from ..models import Case, HumanTask, ProcessVersion, SavedFilter, User
from . import access, search_grams
from .clock import today
from .errors import Forbidden, Invalid, NotFound

# "inbox" is what the inbox page shows by default: my tasks and the ones I may claim.
SCOPES = {"inbox": "我的待办与可认领", "mine": "我的待办", "claimable": "可认领的任务", "all": "全部可见待办"}
DUE_STATES = {"overdue": "已超期", "due_soon": "三日内到期", "normal": "未到期", "none": "无期限"}
DUE_SOON_DAYS = 3  # "due soon": the inbox filter and the inbox colours (app.ui.due_class)
DATE_FIELDS = {"received": "收到申请日期", "due": "办理期限"}
SORTS = {"due_date": "办理期限", "created_at": "生成时间", "tracking_number": "受理编号", "task": "事项",
         "lane": "环节", "applicant": "申请人", "received_on": "收到申请日期", "process": "流程"}
ORDERS = ("asc", "desc")
PER_PAGE_DEFAULT, PER_PAGE_MAX = 20, 100
MAX_TEXT, MAX_TERMS = 100, 5
MAX_FILTER_NAME = 100
# Keys that describe a page of results rather than the filter; never saved.
PAGE_KEYS = ("page",)


@dataclass(frozen=True)
class TaskFilter:
    scope: str = "inbox"
    process: str = ""
    task: str = ""  # a task's spec name or its title
    due: str = ""
    party: str = ""
    tracking: str = ""
    date_field: str = "received"
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    sort: str = "due_date"
    order: str = "asc"
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT

    @classmethod
    def from_args(cls, args, page_key: str = "page", **defaults) -> "TaskFilter":
        """Parse and validate request-style arguments (a dict or a MultiDict); unknown keys are ignored.

        ``page_key`` names the page argument (a page showing two tables pages
        them separately).  Raises ``Invalid`` naming every bad field, so a typo
        in a URL is a message, not a server error.
        """
        def text(key, limit=MAX_TEXT):
            value = " ".join(str(args.get(key) or "").split())
            if len(value) > limit:
                errors[key] = f"不能超过 {limit} 个字符"
            return value

        def choice(key, allowed, default):
            value = str(args.get(key) or "").strip() or default
            if value not in allowed:
                errors[key] = f"只能是 {'、'.join(a for a in allowed if a)} 之一"
                return default
            return value

        def day(key):
            value = str(args.get(key) or "").strip()
            if not value:
                return None
            try:
                return date.fromisoformat(value)
            except ValueError:
                errors[key] = "日期格式应为 YYYY-MM-DD"
                return None

        def number(key, default, low, high):
            value = str(args.get(key) or "").strip()
            if not value:
                return default
            number = parse_int(value, low, high)
            if number is None:
                errors[key] = f"应为 {low} 到 {high} 之间的整数"
                return default
            return number

        base = cls(**defaults)
        errors: dict[str, str] = {}
        parsed = cls(
            scope=choice("scope", tuple(SCOPES), base.scope),
            process=text("process"), task=text("task"),
            due=choice("due", ("",) + tuple(DUE_STATES), ""),
            party=text("party"), tracking=text("tracking"),
            date_field=choice("date_field", tuple(DATE_FIELDS), base.date_field),
            date_from=day("date_from"), date_to=day("date_to"),
            q=text("q"),
            sort=choice("sort", tuple(SORTS), base.sort), order=choice("order", ORDERS, base.order),
            page=number(page_key, 1, 1, 100_000), per_page=number("per_page", base.per_page, 1, PER_PAGE_MAX),
        )
        if parsed.date_from and parsed.date_to and parsed.date_from > parsed.date_to:
            errors["date_to"] = "结束日期不能早于开始日期"
        try:
            check_text(parsed.q)
        except Invalid as exc:
            errors.update(exc.fields)
        if errors:
            raise Invalid("筛选条件有误：" + "；".join(f"{LABELS.get(k, k)}{v}" for k, v in errors.items()), errors)
        return parsed

    def to_args(self, with_page: bool = False) -> dict[str, str]:
        """The non-default values as strings, and always the scope: for URLs and for saving (without the page)."""
        default = TaskFilter()
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if (f.name != "scope" and value == getattr(default, f.name)) or (f.name in PAGE_KEYS and not with_page):
                continue
            out[f.name] = value.isoformat() if isinstance(value, date) else str(value)
        return out

    @property
    def active(self) -> bool:
        """Whether any criterion narrows the results (scope, sort and paging are not criteria)."""
        return any((self.process, self.task, self.due, self.party, self.tracking, self.date_from,
                    self.date_to, self.q))


LABELS = {"scope": "范围", "process": "流程", "task": "环节", "due": "期限状态", "party": "申请人或信访人",
          "tracking": "受理编号", "date_field": "日期类型", "date_from": "开始日期", "date_to": "结束日期",
          "q": "全文检索", "sort": "排序", "order": "排序方向", "page": "页码", "cpage": "页码", "per_page": "每页条数"}


@dataclass
class Page:
    items: list[HumanTask]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


# -- the query -----------------------------------------------------------------------

def _scope_clause(user: User, scope: str):
    mine = HumanTask.assignee_id == user.id
    if scope == "mine":
        return mine
    claimable = and_(HumanTask.assignee_id.is_(None), access.task_admits_clause(user))
    if scope == "claimable":
        return claimable
    if scope == "inbox":
        return or_(mine, claimable)
    # "all": every open task of every case the user may read (a head sees what
    # colleagues have claimed; auditors see everything).  A subquery, because
    # the visibility clause has its own EXISTS over human_task.
    if user.has_role(*access.READ_ALL_ROLES):
        return True
    return HumanTask.case_id.in_(select(Case.id).where(access.visible_cases_clause(user)))


def _data_text(key: str):
    return Case.data[key].as_string()


def _like(column, value: str):
    # autoescape: a user's % or _ is a character, not a wildcard.
    return column.icontains(value, autoescape=True)


def _criteria(f: TaskFilter, user: User) -> list:
    where = []
    if f.process:
        where.append(HumanTask.process_key == f.process)
    if f.task:
        where.append(or_(HumanTask.spec_name == f.task, HumanTask.title == f.task))
    if f.due:
        now = today()
        soon = now + timedelta(days=DUE_SOON_DAYS)
        where.append({
            "overdue": HumanTask.due_date < now,
            "due_soon": HumanTask.due_date.between(now, soon),
            "normal": HumanTask.due_date > soon,
            "none": HumanTask.due_date.is_(None),
        }[f.due])
    if f.party or f.q:
        # Searching by a field hidden from the user must not find the case (the hit would reveal the field).
        from .reading import hidden_clause
        where.append(not_(hidden_clause(user)))
    if f.party:
        where.append(or_(*(_like(_data_text(k), f.party) for k in families.party_keys())))
        served = search_grams.gram_clause(f.party, db.engine.dialect.name)
        if served is not None:  # a party's name is in the case's search text: let the gram index narrow first
            where.append(served)
    if f.tracking:
        where.append(_like(Case.tracking_number, f.tracking))
    if f.date_from or f.date_to:
        if f.date_field == "due":
            column, low, high = HumanTask.due_date, f.date_from, f.date_to
        else:
            # ISO dates in the case data compare correctly as strings.
            column = _data_text("received_on")
            low = f.date_from.isoformat() if f.date_from else None
            high = f.date_to.isoformat() if f.date_to else None
        if low is not None:
            where.append(column >= low)
        if high is not None:
            where.append(column <= high)
    if f.q:
        where.append(text_clause(f.q))
    return where


def check_text(q: str) -> str:
    """Free text as searched: whitespace collapsed, bounded in length and number of terms."""
    q = " ".join((q or "").split())
    if len(q) > MAX_TEXT:
        raise Invalid(f"全文检索不能超过 {MAX_TEXT} 个字符", {"q": f"不能超过 {MAX_TEXT} 个字符"})
    if len(q.split()) > MAX_TERMS:
        raise Invalid(f"全文检索最多 {MAX_TERMS} 个检索词", {"q": f"最多 {MAX_TERMS} 个检索词"})
    return q


def text_clause(q: str):
    """Every whitespace-separated term is a substring of the case's search text (terms of one or two
    characters are first looked up in the gram index: app.services.search_grams)."""
    dialect = db.engine.dialect.name
    clauses = []
    for term in q.split():
        served = search_grams.gram_clause(term, dialect)
        clauses += [served, _like(Case.search_text, term)] if served is not None else [_like(Case.search_text, term)]
    return and_(*clauses)


def _sort_key(name: str):
    return {
        "due_date": HumanTask.due_date, "created_at": HumanTask.created_at,
        "tracking_number": Case.tracking_number, "task": HumanTask.title, "lane": HumanTask.lane,
        "applicant": _data_text("applicant_name"), "received_on": _data_text("received_on"),
        "process": HumanTask.process_key,
    }[name]


def _where(user: User, f: TaskFilter) -> list:
    return [HumanTask.state == "ready", _scope_clause(user, f.scope), *_criteria(f, user)]


def _ordered(user: User, f: TaskFilter, *columns):
    stmt = select(*columns).select_from(HumanTask).join(HumanTask.case).where(*_where(user, f))
    key = _sort_key(f.sort)
    ordered = key.desc() if f.order == "desc" else key.asc()
    # Rows without a value (no due date, no applicant) go last either way;
    # then oldest task first, and the id keeps pages stable.
    return stmt.order_by(key.is_(None), ordered, HumanTask.created_at, HumanTask.id)


def search(user: User, f: TaskFilter) -> Page:
    """One page of matching tasks and the number of all matches."""
    if not user.is_active:
        raise Forbidden("账号已停用")
    total = db.session.execute(
        select(func.count()).select_from(HumanTask).join(HumanTask.case).where(*_where(user, f))).scalar_one()
    # Sort and cut the page on narrow rows, then load the page's tasks with
    # their case: sorting thousands of full rows (case data and all) is what
    # made a big inbox slow.
    ids = list(db.session.execute(
        _ordered(user, f, HumanTask.id).limit(f.per_page).offset((f.page - 1) * f.per_page)).scalars())
    rows = {t.id: t for t in db.session.execute(select(HumanTask).where(HumanTask.id.in_(ids))).scalars()} \
        if ids else {}
    return Page(items=[rows[i] for i in ids], total=total, page=f.page, per_page=f.per_page)


def due_counts(user: User) -> dict[str, int]:
    """``{"overdue": n, "due_soon": m}`` over every open task the user can see (scope 全部可见待办): what a
    head of department looks at first."""
    return {due: search(user, TaskFilter(scope="all", due=due, per_page=1)).total for due in ("overdue", "due_soon")}


def choices() -> dict:
    """What the filter form offers: deployed processes and the names of open tasks."""
    latest = {}
    for key, name in db.session.execute(
            select(ProcessVersion.process_key, ProcessVersion.name).order_by(ProcessVersion.version)):
        latest[key] = name
    # Only open tasks can match a filter; their (state, …) index keeps this cheap.
    tasks = db.session.execute(
        select(HumanTask.spec_name, HumanTask.title).where(HumanTask.state == "ready").distinct()
        .order_by(HumanTask.title).limit(200)).all()
    return {"processes": latest, "tasks": {spec: title for spec, title in tasks}}


# -- saved filters ---------------------------------------------------------------------

def _may_use(user: User, saved: SavedFilter) -> bool:
    if saved.owner_id == user.id:
        return True
    return saved.department_id is not None and saved.department_id == user.department_id


def get(user: User, filter_id: int) -> SavedFilter:
    saved = db.session.get(SavedFilter, filter_id)
    if saved is None:
        raise NotFound("筛选不存在")
    if not _may_use(user, saved):
        raise Forbidden("该筛选未与您所在的部门共享")
    return saved


def params_of(user: User, filter_id: int) -> TaskFilter:
    """A saved filter's parameters, checked again (they may predate a rule change)."""
    return TaskFilter.from_args(get(user, filter_id).params)


def available(user: User) -> list[SavedFilter]:
    """The user's own filters, then those colleagues shared with the user's department."""
    mine = SavedFilter.owner_id == user.id
    shared = and_(SavedFilter.department_id == user.department_id, SavedFilter.owner_id != user.id) \
        if user.department_id else False
    return list(db.session.execute(
        select(SavedFilter).where(or_(mine, shared))
        .order_by((SavedFilter.owner_id != user.id), SavedFilter.name, SavedFilter.id)).scalars())


def save(user: User, name: str, f: TaskFilter, share: bool = False) -> SavedFilter:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("请为筛选命名", {"name": "必填"})
    if len(name) > MAX_FILTER_NAME:
        raise Invalid(f"筛选名称不能超过 {MAX_FILTER_NAME} 个字符", {"name": "过长"})
    if share and not user.department_id:
        raise Invalid("您不属于任何部门，无法共享筛选", {"share": "无部门"})
    saved = SavedFilter(owner_id=user.id, name=name, params=f.to_args(),
                        department_id=user.department_id if share else None)
    db.session.add(saved)
    db.session.commit()
    return saved


def set_shared(user: User, filter_id: int, share: bool) -> SavedFilter:
    saved = _own(user, filter_id)
    if share and not user.department_id:
        raise Invalid("您不属于任何部门，无法共享筛选", {"share": "无部门"})
    saved.department_id = user.department_id if share else None
    db.session.commit()
    return saved


def delete(user: User, filter_id: int) -> None:
    db.session.delete(_own(user, filter_id))
    db.session.commit()


def _own(user: User, filter_id: int) -> SavedFilter:
    saved = get(user, filter_id)
    if saved.owner_id != user.id:
        raise Forbidden("只能修改或删除自己保存的筛选")
    return saved

