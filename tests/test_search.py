"""Full-text search: Persian/Arabic letters and ZWNJ match, internal notes never do, the index follows writes."""
import pytest
from sqlalchemy import select, text

from app.domain.access import ticket_criterion
from app.domain.search import query_terms, search_tokens, ticket_search_criterion
from app.domain.search_filter import TicketTextFilter
from app.domain.tickets import NewTicket, add_reply, create_ticket
from app.extensions import db
from app.models import Department, HamrahUser, Message, Ticket

# Demo: 1004481 «اصلاح مشخصات کاربری» (office 1001) with «کد ملی صحیح نمی باشد ...» and the
#       agent's «تصویر شناسنامه یا کارت ملی پیوست شود»; 1004482 «پلاک خودرو اشتباه است»
#       (office 1001); 1004483 «ورود اطلاعات قدیم اصلی» (office 1002, Training).


def _user(username):
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def found(query, username="manager"):
    stmt = (select(Ticket.number)
            .where(ticket_criterion(_user(username)), ticket_search_criterion(db.session, query))
            .order_by(Ticket.last_activity_at.desc(), Ticket.id.desc()))
    return set(db.session.scalars(stmt))


def _new(subject, body, username="clerk"):
    tech = db.session.scalars(select(Department.id).filter_by(name_en="Technical support")).one()
    return create_ticket(db.session, _user(username),
                         NewTicket(subject=subject, department_id=tech, body=body))


def test_demo_tickets_are_indexed_by_subject_and_messages():
    assert found("پلاک خودرو") == {1004482}
    assert found("شناسنامه") == {1004481}  # the agent's answer
    assert found("اطلاعات قدیم") == {1004483}
    assert found("ملی") == {1004481}


@pytest.mark.parametrize("query", [
    "پشتیبانی", "پشتيباني", "پشتىبانى", "پـشـتیـبـانی",  # Persian, Arabic yeh, alef maksura, kashida
])
def test_arabic_and_persian_letters_find_the_same_ticket(query):
    ticket = _new("مشکل در سامانه پشتیبانی", "لطفاً بررسی کنید")
    assert found(query) == {ticket.number}


def test_text_typed_with_arabic_letters_is_found_with_persian_letters():
    ticket = _new("خطاي كد ملي", "كاربر گرامي، پرونده ثبت نمي شود")  # written with ي and ك
    assert found("خطای کد ملی") == {ticket.number}
    assert found("کاربر گرامی") == {ticket.number}
    assert found("خطاي كد") == {ticket.number}


def test_zwnj_variants_find_the_same_ticket():
    with_zwnj = _new("درخواست‌ها ثبت نمی‌شود", "پرونده‌های قدیمی")
    without = _new("گزارش خطا", "فایلها بارگذاری نمیگردد")
    assert found("درخواستها") == {with_zwnj.number}
    assert found("درخواست‌ها") == {with_zwnj.number}
    assert found("درخواست ها") == {with_zwnj.number}  # a space where the ZWNJ was
    assert found("نمی‌شود") == {with_zwnj.number}
    assert found("نمیشود") == {with_zwnj.number}
    assert found("پرونده‌های") == {with_zwnj.number}
    assert found("فایل‌ها") == {without.number}
    assert found("نمی‌گردد") == {without.number}


def test_words_match_as_prefixes_and_digits_in_any_script():
    ticket = _new("شماره پیگیری 99010294000123 نامعتبر", "ثبت نمی شود")
    assert found("پیگیر") == {ticket.number}
    assert found("۹۹۰۱۰۲۹۴۰۰۰۱۲۳") == {ticket.number}
    assert found("٩٩٠١٠٢٩٤") == {ticket.number}
    assert found("نامعتبر شماره") == {ticket.number}  # every word, in any order
    assert found("نامعتبر پلاک") == set()


def test_empty_or_punctuation_query_matches_nothing():
    assert found("") == set()
    assert found(" ؟! - ") == set()
    assert query_terms("  ") == []


def test_internal_notes_are_never_found():
    demo = db.session.scalars(select(Ticket).filter_by(number=1004481)).one()
    add_reply(db.session, demo, _user("agent"), "یادداشت محرمانه زرافه", internal=True)
    assert db.session.scalar(select(Message.id).where(Message.body.contains("زرافه"))) is not None
    for username in ("manager", "agent", "clerk"):
        assert found("زرافه", username) == set()
    # and a later reindex does not pick it up either
    from app.domain.search import rebuild_index

    rebuild_index(db.session.connection())
    db.session.commit()
    assert found("زرافه") == set()
    assert "زرافه" not in search_tokens("پلاک")


def test_a_new_reply_becomes_findable_and_a_new_subject_replaces_the_old():
    demo = db.session.scalars(select(Ticket).filter_by(number=1004482)).one()
    assert found("کرگدن") == set()
    add_reply(db.session, demo, _user("agent"), "پاسخ: کرگدن را بررسی کردیم")
    assert found("کرگدن") == {1004482}
    add_reply(db.session, demo, _user("clerk"), "هنوز مشکل دارد، شترمرغ")
    assert found("شترمرغ کرگدن") == {1004482}
    ticket = _new("موضوع قدیم دلفین", "متن پیام")
    ticket.subject = "موضوع تازه نهنگ"
    db.session.commit()
    assert found("نهنگ") == {ticket.number}
    assert found("دلفین") == set()  # the old subject's words are gone


def test_search_keeps_the_callers_scope():
    ticket = _new("سامانه کند است", "بسیار کند", username="clerk3")
    assert found("کند", "clerk3") == {ticket.number}
    assert found("کند", "clerk") == set()
    assert found("کند", "agent") == {ticket.number}  # Technical support
    assert found("کند", "agent2") == set()


def test_deleted_ticket_leaves_the_index():
    ticket = _new("تیکت موقت پنگوئن", "متن")
    ticket_id = ticket.id
    db.session.delete(ticket)  # messages and history go by ON DELETE CASCADE
    db.session.commit()
    assert found("پنگوئن") == set()
    if db.engine.dialect.name == "postgresql":
        sql = "SELECT count(*) FROM ticket_search WHERE ticket_id = :id"
    else:
        sql = "SELECT count(*) FROM ticket_search WHERE rowid = :id"
    assert db.session.scalar(text(sql), {"id": ticket_id}) == 0


def test_reindex_command_rebuilds_the_index(runner):
    db.session.execute(text("DELETE FROM ticket_search"))
    db.session.commit()
    assert found("پلاک") == set()
    db.session.commit()  # the command works on its own connection
    result = runner.invoke(args=["hamrah", "reindex"])
    assert result.exit_code == 0, result.output
    assert found("پلاک") == {1004482}
    assert found("شناسنامه") == {1004481}


def test_fab_filter_applies_the_search():
    from flask_appbuilder.models.sqla.interface import SQLAInterface

    search_filter = TicketTextFilter("subject", SQLAInterface(Ticket, db.session))
    query = search_filter.apply(db.session.query(Ticket), "خودرو")
    assert {t.number for t in query} == {1004482}


def test_common_words_take_the_subquery_path(monkeypatch):
    """Above SELECTIVE matches the criterion stays a subquery; the answers are the same."""
    import app.domain.search as search

    monkeypatch.setattr(search, "SELECTIVE", 0)
    assert found("پلاک خودرو") == {1004482}
    assert found("ملی") == {1004481}
    assert found("کرگدن") == set()


def test_the_message_box_searches_the_thread_through_the_search_service(as_user):
    """The clerk's box: words of messages, ZWNJ spelt any way, never an internal note."""
    from tests.conftest import ticket_numbers

    clerk = as_user("clerk")

    def box(query):
        return ticket_numbers(clerk.get("/support/inbox", query_string={"q": query}).data)

    assert box("شناسنامه") == {"1004481"}  # only in the agent's answer, not the subject
    with_zwnj = _new("درخواست‌ها ثبت نمی‌شود", "پرونده‌های قدیمی")
    assert box("درخواست ها") == box("درخواستها") == {str(with_zwnj.number)}
    target = db.session.get(Ticket, with_zwnj.id)
    add_reply(db.session, target, _user("agent"), "یادداشت کرگدن", internal=True)
    assert box("کرگدن") == set()
    assert box("پلاک") == {"1004482"}
    assert box("ورود اطلاعات") == set()  # office 1002's ticket: not this clerk's


def _contains_words_arg(client) -> str:
    """The list's URL argument of Subject › "Contains words" (FAB numbers its filters)."""
    view = next(v for v in client.application.appbuilder.baseviews
                if type(v).__name__ == "TicketModelView")
    index = [f.name for f in view._filters.get_search_filters()["subject"]].index(
        TicketTextFilter.name)
    return f"_flt_{index}_subject"


def test_the_ticket_list_offers_contains_words(as_user):
    """FAB's list: Subject > "Contains words" searches the thread too (index of the filter)."""
    from flask_babel import force_locale, gettext

    from tests.conftest import ticket_numbers

    manager = as_user("manager")
    page = manager.get("/ticketmodelview/list/").data.decode()
    with force_locale("fa"):
        label = gettext("Contains words")
    assert label.encode("unicode_escape").decode() in page or label in page
    listed = manager.get("/ticketmodelview/list/",
                         query_string={_contains_words_arg(manager): "شناسنامه"})
    assert ticket_numbers(listed.data) == {"1004481"}


def test_contains_words_keeps_the_agents_departments(as_user):
    """Training's agent finds nothing of Technical support's tickets by their words."""
    from tests.conftest import ticket_numbers

    agent2 = as_user("agent2")
    for word, expected in (("شناسنامه", set()), ("اطلاعات قدیم", {"1004483"})):
        listed = agent2.get("/ticketmodelview/list/",
                            query_string={_contains_words_arg(agent2): word})
        assert ticket_numbers(listed.data) == expected, word
