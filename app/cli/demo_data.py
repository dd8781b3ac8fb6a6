"""The demo database: the manual's departments, two regions with one office each, users,
tickets and announcement.

Passwords equal usernames here and only here. Running it twice changes nothing.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.domain import status as status_machine
from app.domain.roles import AGENT, CLERK, MANAGER, SUPERVISOR
from app.domain.tickets import NewTicket, add_reply, create_ticket
from app.models import Announcement, Department, HamrahUser, Office, Region
from app.models.base import utcnow

DEPARTMENTS = [
    ("پشتیبانی فنی", "Technical support", 1),
    ("آموزش", "Training", 2),
    ("واحد اجرا و راه‌اندازی", "Rollout and setup", 3),
]
# code, name: provinces (app/cli/generator_data.py makes 31 of them for the benchmark)
REGIONS = [("01", "استان نمونه ۱"), ("02", "استان نمونه ۲")]
# code, name, city, region code
OFFICES = [("1001", "شهر نمونه ۱", "شهر نمونه", "01"), ("1002", "شهر نمونه ۲", "شهر نمونه", "02")]
# username, display name, role, office code, department english names (regions: SUPERVISORS)
USERS = [
    ("manager", "مدیر پشتیبانی", MANAGER, None, []),
    ("agent", "کارشناس پشتیبانی فنی", AGENT, None, ["Technical support"]),
    ("agent2", "کارشناس آموزش", AGENT, None, ["Training"]),
    ("clerk", "کاربر دفتر ۱", CLERK, "1001", []),
    ("clerk2", "کاربر دوم دفتر ۱", CLERK, "1001", []),
    ("clerk3", "کاربر دفتر ۲", CLERK, "1002", []),
    ("supervisor", "ناظر استان نمونه ۱", SUPERVISOR, None, []),
]
SUPERVISORS = {"supervisor": ["01"]}
ANNOUNCEMENT = (
    "امکان ادامه تیکت پس از پاسخ پشتیبانی",
    "از این پس در صورتی که از پاسخ پشتیبانی رضایت ندارید، می‌توانید به جای ثبت تیکت جدید، "
    "در همان تیکت پاسخ خود را ارسال کنید تا تیکت دوباره به صف پشتیبانی برگردد.",
)


def _get_or_create(session, model, defaults=None, **keys):
    item = session.scalars(select(model).filter_by(**keys)).first()
    if item is None:
        item = model(**keys, **(defaults or {}))
        session.add(item)
        session.flush()
    return item


def load_demo(session) -> bool:
    """Load everything missing; return True when anything was created."""
    if session.scalars(select(HamrahUser).filter_by(username="clerk")).first() is not None:
        return False
    sm = current_app.appbuilder.sm
    departments = {en: _get_or_create(session, Department, {"name_en": en, "ordering": order},
                                      name=fa)
                   for fa, en, order in DEPARTMENTS}
    regions = {code: _get_or_create(session, Region, {"name": name}, code=code)
               for code, name in REGIONS}
    offices = {code: _get_or_create(session, Office, {"name": name, "city": city,
                                                      "region_id": regions[region].id}, code=code)
               for code, name, city, region in OFFICES}
    users = {}
    for username, display, role_name, office_code, dept_names in USERS:
        user = HamrahUser(
            username=username, first_name=display, last_name="-", display_name=display,
            email=f"{username}@example.org", active=True, roles=[sm.find_role(role_name)],
            password=generate_password_hash(
                username, method=current_app.config["FAB_PASSWORD_HASH_METHOD"]),
            office_id=offices[office_code].id if office_code else None,
            departments=[departments[name] for name in dept_names],
            regions=[regions[code] for code in SUPERVISORS.get(username, [])],
        )
        session.add(user)
        users[username] = user
    session.flush()
    _demo_tickets(session, users, departments)
    session.add(Announcement(title=ANNOUNCEMENT[0], body=ANNOUNCEMENT[1],
                             publish_at=utcnow() - timedelta(days=2), for_everyone=True))
    session.commit()
    return True


def _demo_tickets(session, users, departments) -> None:
    tech = departments["Technical support"].id
    start = utcnow() - timedelta(days=3)
    answered = create_ticket(session, users["clerk"], NewTicket(
        subject="اصلاح مشخصات کاربری", department_id=tech,
        body="کد ملی صحیح نمی باشد و نیاز به ویرایش دارد",
        tracking_number="99010294000080", national_id="0499370899",
        activity="صدور پروانه اشتغال انفرادی"), now=start, commit=False)
    status_machine.apply_event(session, answered, status_machine.Event.AGENT_OPENED, users["agent"],
                               now=start + timedelta(hours=1))
    add_reply(session, answered, users["agent"], "تصویر شناسنامه یا کارت ملی پیوست شود",
              now=start + timedelta(hours=2), commit=False)
    create_ticket(session, users["clerk2"], NewTicket(
        subject="پلاک خودرو اشتباه است", department_id=tech,
        body="پلاک خودرو در پرونده اشتباه ثبت شده است، لطفا اصلاح شود.",
        tracking_number="99010294000081"), now=start + timedelta(days=1), commit=False)
    create_ticket(session, users["clerk3"], NewTicket(
        subject="ورود اطلاعات قدیم اصلی", department_id=departments["Training"].id,
        body="نحوه ورود اطلاعات قدیم پرونده اصلی را راهنمایی کنید."),
        now=start + timedelta(days=2), commit=False)


KNOWN_ISSUE = (
    "خطای ثبت پلاک خودرو در پرونده",
    "پلاک بعضی خودروها در پرونده اشتباه ثبت می‌شود. پشتیبانی فنی در حال رفع آن است؛ "
    "نیازی به ثبت تیکت جدید نیست، آن را دنبال کنید.",
)


def load_demo_known_issue(session) -> bool:
    """One published open known issue, linked to the demo's plate ticket (`hamrah demo` only:
    the tests' demo stays without known issues)."""
    from app.models import KnownIssue, KnownIssueTicket, Ticket

    if session.scalars(select(KnownIssue).filter_by(title=KNOWN_ISSUE[0])).first() is not None:
        return False
    tech = session.scalars(select(Department).filter_by(name_en="Technical support")).first()
    agent = session.scalars(select(HamrahUser).filter_by(username="agent")).first()
    plate = session.scalars(select(Ticket).filter_by(subject="پلاک خودرو اشتباه است")).first()
    if tech is None or agent is None:
        return False
    issue = KnownIssue(title=KNOWN_ISSUE[0], description=KNOWN_ISSUE[1], department_id=tech.id,
                       published=True, status="open", created_by_id=agent.id)
    session.add(issue)
    session.flush()
    if plate is not None:
        session.add(KnownIssueTicket(ticket_id=plate.id, known_issue_id=issue.id,
                                     linked_by_id=agent.id))
    session.commit()
    return True
