"""Small builders shared by the journey tests."""
import io
import threading

from sqlalchemy import event, select

from app.extensions import db
from app.models import Department, Ticket

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
VALID_NATIONAL_ID = "0499370899"


def department_id(name_en="Technical support") -> int:
    return db.session.scalars(select(Department.id).filter_by(name_en=name_en)).one()


def ticket(number: int) -> Ticket:
    db.session.expire_all()
    return db.session.scalars(select(Ticket).filter_by(number=number)).one()


def new_ticket_form(**overrides):
    data = {
        "subject": "خطای کد ملی – تمدید پروانه تاکسیرانی",
        "department": str(department_id()),
        "tracking_number": "99010294000099",
        "national_id": VALID_NATIONAL_ID,
        "body": "کد ملی صحیح نمی باشد و نیاز به ویرایش دارد",
        "submission_id": "s-" + overrides.pop("submission", "1"),
    }
    data.update(overrides)
    return data


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


def last_ticket_number() -> int:
    db.session.expire_all()
    return db.session.scalar(select(Ticket.number).order_by(Ticket.number.desc()).limit(1))


def row_numbers(html: bytes) -> set[str]:
    """Ticket numbers of the rows of a message box page (not of the search box)."""
    import re

    return set(re.findall(r'data-number="(\d+)"', html.decode()))


class StatementCounter:
    """`with StatementCounter() as counter:` counts the SQL statements run inside
    (`counter.statements` holds their text)."""

    def __init__(self):
        self.count = 0
        self.statements = []

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._count)

    def _count(self, _connection, _cursor, statement, *args):
        self.count += 1
        self.statements.append(statement)


def run_at_once(app, work, threads: int):
    """Start `threads` threads at once (a barrier), each in a fresh app context, as that many
    requests on a real server would be; `work(index)` returns a list. Returns (the lists'
    items, errors as (thread index, repr))."""
    barrier = threading.Barrier(threads)
    results, errors = [], []

    def worker(index):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results.extend(work(index))
            except Exception as exc:  # noqa: BLE001 - reported with the thread number
                errors.append((index, repr(exc)))
            finally:
                db.session.remove()

    started = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in started), "a thread hung"
    return results, errors
