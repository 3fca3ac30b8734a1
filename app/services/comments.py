"""Comments on a case or one of its tasks: append-only; a mistake is followed by a correction."""
from sqlalchemy import select

from ..extensions import db
from ..models import Comment, HumanTask, User
from . import access, history
from .cases import command
from .errors import Forbidden, Invalid, NotFound
from .locking import lock_case

MAX_COMMENT = 4000


@command
def add(user: User, case_id: int, body: str, task_id: str | None = None, corrects_id: int | None = None) -> Comment:
    body = (body or "").strip()
    if not body:
        raise Invalid("评论内容不能为空", {"body": "请填写评论内容"})
    if len(body) > MAX_COMMENT:
        raise Invalid(f"评论不能超过 {MAX_COMMENT} 字", {"body": f"不能超过 {MAX_COMMENT} 字"})
    case = lock_case(case_id)
    access.require_view(user, case)
    if not user.has_role("officer", "head", "supervisor", "admin"):
        raise Forbidden("审计人员只能查看，不能发表评论")
    if task_id is not None:
        task = db.session.get(HumanTask, task_id)
        if task is None or task.case_id != case.id:
            raise NotFound("该案件没有这个任务")
    if corrects_id is not None:
        original = db.session.get(Comment, corrects_id)
        if original is None or original.case_id != case.id:
            raise NotFound("要更正的评论不存在")
        if original.author_id != user.id:
            raise Forbidden("只能更正自己的评论")
    comment = Comment(case_id=case.id, task_id=task_id, author_id=user.id, body=body, corrects_id=corrects_id)
    db.session.add(comment)
    db.session.flush()
    history.record(case, "comment_added", user, ("更正评论：" if corrects_id else "评论：") + body[:100],
                   {"comment_id": comment.id, "corrects": corrects_id, "task_id": task_id}, task_id=task_id)
    db.session.commit()
    return comment


def for_case(user: User, case) -> list[Comment]:
    """The comments ``user`` may read: on an accusation, what the registering department wrote stays with it."""
    from .reading import filed_by_registrar, hidden_keys
    access.require_view(user, case)
    found = db.session.execute(select(Comment).where(Comment.case_id == case.id).order_by(Comment.id)).scalars()
    if not hidden_keys(user, case):
        return list(found)
    return [c for c in found if not filed_by_registrar(case, c.author)]
