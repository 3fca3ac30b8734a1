"""The head's overdue list (超期督办) comes in pages, most overdue first, with the total; a bad page number
shows the first page."""
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services import clocks

from .helpers import Api
from .test_web import login


def test_the_overdue_list_is_paged_most_overdue_first(client):
    officer = Api(client, "officer")
    received = ["2025-09-26", "2025-08-01", "2025-09-01"]  # reply due dates follow the receipt dates
    trackings = {day: officer.register(received_on=day)["tracking_number"] for day in received}
    head = db.session.execute(select(User).where(User.username == "head")).scalar_one()

    everything = clocks.overdue_for(head, per_page=100)
    assert everything.total == len(everything.items) >= 3  # one row per overdue clock
    first = clocks.overdue_for(head, page=1, per_page=2)
    second = clocks.overdue_for(head, page=2, per_page=2)
    assert first.total == everything.total and first.pages == -(-everything.total // 2)
    assert first.items + second.items == everything.items[:4]
    assert [clock.due_date for _, clock in everything.items] == sorted(c.due_date for _, c in everything.items)
    assert everything.items[0][0].tracking_number == trackings["2025-08-01"]  # the longest overdue first
    assert {case.tracking_number for case, _ in everything.items} == set(trackings.values())

    page = login(client, "head").get("/overdue").get_data(as_text=True)
    assert all(tn in page for tn in trackings.values())
    assert client.get("/overdue?page=abc").status_code == 200
    assert "没有超期案件" in client.get("/overdue?page=99").get_data(as_text=True)
