"""Process drafts: a supervisor's unsaved-to-production edit of one process."""
from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .processes import ProcessVersion
from .types import JsonDoc, UtcDateTime, utcnow
from .users import User


class ProcessDraft(db.Model):
    """The BPMN and forms one supervisor is editing for one process (one draft per process and user).

    Drafts are never run: deploying one validates it and stores a new
    :class:`ProcessVersion`; the draft is then removed.
    """

    __tablename__ = "process_draft"
    __table_args__ = (UniqueConstraint("process_key", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # The version the draft was opened from, so the modeler can say the draft is stale.
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("process_version.id"))
    bpmn: Mapped[bytes] = mapped_column(LargeBinary)
    forms: Mapped[dict] = mapped_column(JsonDoc, default=dict)  # file name -> schema text
    updated_at = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    base_version: Mapped[ProcessVersion | None] = relationship()


class TaskDraft(db.Model):
    """What one person typed into one task's form and saved without submitting (one draft per task and user).

    Drafts are not validated (half-done work is the point) and hold only the form's typed fields: files are
    chosen again when submitting.  Completing the task removes every draft of it.
    """

    __tablename__ = "task_draft"
    __table_args__ = (UniqueConstraint("task_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    data: Mapped[dict] = mapped_column(JsonDoc, default=dict)
    updated_at = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
