"""Two regions for the region tests. A = demo "01" (office 1001: 1004481, 1004482) with
county A1 (office 1003: 1004484) and A1's district A1a (office 1004: 1004485); B = demo "02"
(office 1002: 1004483). `supervisor` (demo) watches A, `supervisor_b` watches B. A module
that imports `regions` gets it for each of its tests."""
import pytest
from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.domain.roles import CLERK, SUPERVISOR
from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.models import HamrahUser, Message, Office, Region, Ticket
from tests.helpers import department_id

A_TICKETS = {"1004481", "1004482", "1004484", "1004485"}
B_TICKETS = {"1004483"}
ALL = A_TICKETS | B_TICKETS


def user(username) -> HamrahUser:
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def add_user(username, role, *, office=None, regions=()):
    sm = current_app.appbuilder.sm
    user = HamrahUser(username=username, first_name=username, last_name="-",
                      email=f"{username}@example.org", active=True, roles=[sm.find_role(role)],
                      password=generate_password_hash(
                          username, method=current_app.config["FAB_PASSWORD_HASH_METHOD"]),
                      office=office, regions=list(regions))
    db.session.add(user)
    return user


@pytest.fixture(autouse=True)
def regions():
    region_a = db.session.scalars(select(Region).filter_by(code="01")).one()
    region_b = db.session.scalars(select(Region).filter_by(code="02")).one()
    county = Region(code="0101", name="شهرستان الف", parent=region_a)
    district = Region(code="010101", name="بخش الف", parent=county)
    office_a1 = Office(code="1003", name="دفتر شهرستان", region=county)
    office_a1a = Office(code="1004", name="دفتر بخش", region=district)
    db.session.add_all([county, district, office_a1, office_a1a])
    clerk_a1 = add_user("clerk_a1", CLERK, office=office_a1)
    clerk_a1a = add_user("clerk_a1a", CLERK, office=office_a1a)
    add_user("supervisor_b", SUPERVISOR, regions=[region_b])
    db.session.flush()
    for clerk, subject in ((clerk_a1, "درخواست شهرستان"), (clerk_a1a, "درخواست بخش")):
        create_ticket(db.session, clerk, NewTicket(subject=subject, department_id=department_id(),
                                                   body="متن درخواست", tracking_number=None))
    db.session.commit()
    return {"A": region_a, "B": region_b}


def messages_of(number) -> list[Message]:
    db.session.expire_all()
    ticket = db.session.scalars(select(Ticket).filter_by(number=number)).one()
    return list(db.session.scalars(select(Message).filter_by(ticket_id=ticket.id)
                                          .order_by(Message.id)))
