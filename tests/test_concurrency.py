"""Two people acting on one case at the same moment: one wins, the other is told, nothing is lost."""
import threading

from sqlalchemy import select

from app.extensions import db
from app.models import CaseEvent, HumanTask, User
from app.services import cases, history
from app.services.errors import Conflict
from app.services.locking import lock_case

from .helpers import REGISTRATION, office_today


def _user(name):
    return db.session.execute(select(User).where(User.username == name)).scalar_one()


def _race(app, actions):
    """Run each action in its own thread, app context and database session, released together."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def worker(i, action):
        with app.app_context():
            try:
                barrier.wait()
                results[i] = ("ok", action())
            except Exception as exc:  # the outcome is what the test inspects
                results[i] = ("error", exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_officers_completing_the_same_task_exactly_one_succeeds(app):
    # Received today: a correction notice is lawful only within the reply period (GIO 30), so either choice
    # may win the race and the loser can only lose to the other's completion.
    case = cases.start_case(_user("officer"), "disclosure_request", dict(REGISTRATION, received_on=office_today()))
    case_id, version = case.id, case.version
    task_id = cases.case_tasks(case, open_only=True)[0].id
    db.session.remove()

    def complete_as(username, data):
        return lambda: cases.complete_task(_user(username), task_id, data, version).id

    results = _race(app, [
        complete_as("officer", {"needs_correction": False}),
        complete_as("officer2", {"needs_correction": True, "correction_items": "请补充年份",
                                 "correction_deadline": "2030-12-31"}),
    ])
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["error", "ok"], results
    loser = next(r[1] for r in results if r[0] == "error")
    assert isinstance(loser, Conflict)
    assert "他人" in loser.message or "已由" in loser.message

    case = lock_case(case_id)
    db.session.rollback()
    assert case.version == version + 1
    completions = db.session.execute(select(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.type == "task_completed")).scalars().all()
    assert len(completions) == 1
    done = db.session.get(HumanTask, task_id)
    assert done.state == "completed"
    # The winner's choice is the one the case carries, and the history still verifies.
    winner_choice = completions[0].payload["submitted"]["needs_correction"]
    assert case.data["needs_correction"] is winner_choice
    assert history.verify_case(case) == []


def test_many_cases_registered_at_once_get_distinct_gapless_tracking_numbers(app):
    def register():
        return cases.start_case(_user("officer"), "disclosure_request", dict(REGISTRATION)).tracking_number

    results = _race(app, [register for _ in range(6)])
    assert all(kind == "ok" for kind, _ in results), results
    seqs = sorted(int(number.rsplit("-", 1)[1]) for _, number in results)
    assert seqs == list(range(seqs[0], seqs[0] + 6))
