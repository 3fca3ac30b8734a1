"""Generated documents: immutable bytes with SHA-256, recorded in the history."""
import hashlib

from ..extensions import db
from ..models import Case, Document, User
from . import history


def store(case: Case, *, kind: str, title: str, number: str | None, content: bytes,
          actor: User | None, filename: str, mime_type: str = "application/pdf") -> Document:
    digest = hashlib.sha256(content).hexdigest()
    doc = Document(case_id=case.id, kind=kind, title=title, number=number, filename=filename,
                   mime_type=mime_type, content=content, sha256=digest, size=len(content),
                   created_by_id=actor.id if actor else None)
    db.session.add(doc)
    db.session.flush()
    history.record(case, "document_generated", actor, f"生成{title}" + (f"（{number}）" if number else ""),
                   {"document_id": doc.id, "kind": kind, "number": number, "sha256": digest})
    return doc
