"""The search index follows every write path that changes what it mirrors, bulk ones too.

Single-row paths (creation, replies, subject edits, deletion) are in tests/test_search.py.
Here: merging (one bulk UPDATE moves the messages: on the code before, they stayed indexed
under the old ticket until `hamrah reindex`), any ORM bulk UPDATE or DELETE of messages, a
message turned internal, and a bulk subject change.
"""
from sqlalchemy import delete, select, update

from app.domain.workspace import merge
from app.extensions import db
from app.models import Message, Ticket
from tests.test_search import _new, _user, found


def test_merge_moves_the_indexed_words_with_the_messages():
    source = _new("درخواست اول", "واژه‌ای کمیاب: سمندر")
    target = _new("درخواست دوم", "متن دیگر")
    assert found("سمندر") == {source.number}
    merge(db.session, source, target, _user("agent"))
    assert found("سمندر") == {target.number}


def test_a_bulk_update_of_messages_reindexes_old_and_new_tickets():
    first = _new("موضوع یک", "حلزون در متن")
    second = _new("موضوع دو", "متن ساده")
    db.session.execute(update(Message).where(Message.ticket_id == first.id)
                       .values(ticket_id=second.id))
    db.session.commit()
    assert found("حلزون") == {second.number}
    db.session.execute(update(Message).where(Message.ticket_id == second.id)
                       .values(body="کلمه تازه آفتاب‌پرست"))
    db.session.commit()
    assert found("حلزون") == set() and found("آفتاب‌پرست") == {second.number}


def test_a_bulk_delete_of_messages_drops_their_words():
    ticket = _new("موضوع سه", "خارپشت")
    db.session.execute(delete(Message).where(Message.ticket_id == ticket.id))
    db.session.commit()
    assert found("خارپشت") == set()
    assert found("موضوع سه") == {ticket.number}  # the subject stays findable


def test_a_message_turned_internal_is_no_longer_found():
    ticket = _new("موضوع چهار", "عقاب طلایی")
    message = db.session.scalars(select(Message).where(Message.ticket_id == ticket.id)).one()
    message.is_internal = True
    db.session.commit()
    assert found("عقاب") == set()


def test_a_bulk_subject_change_reindexes_the_tickets():
    ticket = _new("موضوع کهنه گوزن", "متن")
    db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(subject="موضوع نو آهو"))
    db.session.commit()
    assert found("گوزن") == set() and found("آهو") == {ticket.number}
