"""JSON shapes of the API; these names are a contract with other systems."""


def task_json(t) -> dict:
    return {
        "id": t.id, "case_id": t.case_id, "tracking_number": t.case.tracking_number,
        "name": t.title, "spec_name": t.spec_name, "lane": t.lane, "state": t.state,
        "assignee": t.assignee.username if t.assignee else None,
        "due_date": t.due_date.isoformat() if t.due_date else None, "due_provisional": t.due_provisional,
        "created_at": t.created_at.isoformat(),
    }


def document_json(d) -> dict:
    return {"id": d.id, "kind": d.kind, "title": d.title, "number": d.number, "sha256": d.sha256,
            "size": d.size, "created_at": d.created_at.isoformat()}


def deadline_json(d) -> dict:
    return {"name": d.name, "title": d.title, "due_date": d.due_date.isoformat(), "provisional": d.provisional,
            "state": d.state, "explanation": d.explanation}


def case_json(case, tasks, documents, deadlines=(), data=None, redacted=()) -> dict:
    """``data``: the case data as the reader may see it; ``redacted``: the fields left out for this reader."""
    return {
        "id": case.id, "tracking_number": case.tracking_number, "process": case.process_key,
        "process_version": case.process_version.version, "status": case.status, "version": case.version,
        "data": case.data if data is None else data, "redacted": sorted(redacted),
        "tasks": [task_json(t) for t in tasks],
        "documents": [document_json(d) for d in documents],
        "deadlines": [deadline_json(d) for d in deadlines],
        "created_at": case.created_at.isoformat(),
        "completed_at": case.completed_at.isoformat() if case.completed_at else None,
    }


def event_json(e, payload=None) -> dict:
    """``payload``: the event's payload as the reader may see it (the hash covers the full one)."""
    return {"seq": e.seq, "type": e.type, "at": e.at.isoformat(), "actor": e.actor_name,
            "task_id": e.task_id, "summary": e.summary, "payload": e.payload if payload is None else payload,
            "prev_hash": e.prev_hash, "hash": e.hash}
