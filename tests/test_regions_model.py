"""Regions as data: migration 0014 puts every existing office in the default region, new
offices without a region join it, the tree refuses loops and resolves sub-regions."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.domain.regions import (
    RegionLoop,
    check_parent,
    offices_in_regions,
    region_by_code,
    subtree,
)
from app.extensions import db
from app.models import Office, Region
from app.models.region import DEFAULT_REGION_CODE
from config import TestConfig
from tests.test_migrations import empty_database_url  # noqa: F401 (fixture)


def test_migration_puts_existing_offices_in_the_default_region(app, empty_database_url):  # noqa: F811
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database_url,
                       ATTACHMENT_DIR=app.config["ATTACHMENT_DIR"])
    with other.app_context():
        upgrade(revision="0013")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO office (id, code, name) VALUES (1, '1001', 'a'),"
                              " (2, '1002', 'b')"))
        upgrade(revision="0014")
        with db.engine.begin() as conn:
            default = conn.execute(text("SELECT id, parent_id FROM region WHERE code = :c"),
                                   {"c": DEFAULT_REGION_CODE}).one()
            assert default.parent_id is None
            rows = conn.execute(text("SELECT id, region_id, sharing FROM office ORDER BY id")).all()
            assert [tuple(row) for row in rows] == [(1, default.id, "office"),
                                                     (2, default.id, "office")]
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # NOT NULL from now on
            conn.execute(text("INSERT INTO office (id, code, name) VALUES (3, '1003', 'c')"))
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("office")}
        assert columns["region_id"]["nullable"] is False
        downgrade(revision="0013")
        assert "region_id" not in {c["name"] for c in inspect(db.engine).get_columns("office")}
        assert "region" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM office")) == 2
        db.engine.dispose()


def test_an_office_created_without_a_region_joins_the_default_region():
    db.session.execute(Region.__table__.delete().where(Region.code == DEFAULT_REGION_CODE))
    db.session.commit()
    office = Office(code="2001", name="تازه")
    db.session.add(office)
    db.session.commit()
    assert office.region.code == DEFAULT_REGION_CODE  # made again when it was missing
    second = Office(code="2002", name="دوم")
    db.session.add(second)
    db.session.commit()
    assert second.region_id == office.region_id


def test_unknown_region_code_means_the_default_region():
    assert region_by_code(db.session, "01").code == "01"
    assert region_by_code(db.session, "nowhere").code == DEFAULT_REGION_CODE
    assert region_by_code(db.session, None).code == DEFAULT_REGION_CODE


def _region(code, parent=None):
    region = Region(code=code, name=code, parent=parent)
    db.session.add(region)
    db.session.flush()
    return region


def test_the_tree_refuses_loops():
    province = db.session.scalars(select(Region).filter_by(code="01")).one()
    county = _region("0101", province)
    district = _region("010101", county)
    with pytest.raises(RegionLoop):
        check_parent(province, district)
    with pytest.raises(RegionLoop):
        check_parent(county, county)
    check_parent(district, province)  # moving a district up a level is fine


def test_subtree_and_offices_of_nested_regions():
    province = db.session.scalars(select(Region).filter_by(code="01")).one()
    other = db.session.scalars(select(Region).filter_by(code="02")).one()
    county = _region("0101", province)
    district = _region("010101", county)
    office = Office(code="3001", name="بخش", region=district)
    db.session.add(office)
    db.session.commit()
    assert subtree(db.session, [province.id]) == {province.id, county.id, district.id}
    assert subtree(db.session, [county.id]) == {county.id, district.id}
    office_1001 = db.session.scalars(select(Office.id).filter_by(code="1001")).one()
    assert offices_in_regions(db.session, [province.id]) == tuple(sorted([office_1001, office.id]))
    assert office.id not in offices_in_regions(db.session, [other.id])
    # a loop written behind the rules' back (SQL by hand) ends the walk instead of hanging
    db.session.execute(text("UPDATE region SET parent_id = :d WHERE id = :p"),
                       {"d": district.id, "p": province.id})
    db.session.commit()
    from app.infra.reference_cache import reference_cache
    reference_cache().clear()
    assert subtree(db.session, [county.id]) == {province.id, county.id, district.id}


# --- the managers' screens ----------------------------------------------------------------

def test_manager_adds_a_county_and_a_loop_is_refused(as_user):
    manager = as_user("manager")
    province = db.session.scalars(select(Region).filter_by(code="01")).one()
    assert manager.get("/regionmodelview/list/").status_code == 200
    added = manager.post("/regionmodelview/add", data={
        "code": "۰۱۰۱", "name": "شهرستان نمونه", "parent": str(province.id)})
    assert added.status_code == 302
    county = db.session.scalars(select(Region).filter_by(code="0101")).one()  # ASCII digits
    assert county.parent_id == province.id
    refused = manager.post(f"/regionmodelview/edit/{province.id}", data={
        "code": "01", "name": province.name, "parent": str(county.id)})
    assert refused.status_code in (200, 302)
    db.session.expire_all()
    assert db.session.get(Region, province.id).parent_id is None
    found = manager.get("/regionmodelview/list/?_flt_0_code=0101")
    assert "شهرستان نمونه" in found.data.decode()


def test_manager_sets_an_offices_region_and_sharing(as_user):
    manager = as_user("manager")
    office = db.session.scalars(select(Office).filter_by(code="1002")).one()
    province = db.session.scalars(select(Region).filter_by(code="01")).one()
    page = manager.get(f"/officemodelview/edit/{office.id}")
    assert page.status_code == 200 and 'name="sharing"' in page.data.decode()
    saved = manager.post(f"/officemodelview/edit/{office.id}", data={
        "code": "1002", "name": office.name, "city": "", "region": str(province.id),
        "sharing": "own"})
    assert saved.status_code == 302
    db.session.expire_all()
    office = db.session.get(Office, office.id)
    assert (office.region_id, office.sharing) == (province.id, "own")


def test_manager_gives_a_supervisor_regions_and_clerks_cannot_open_the_screens(as_user):
    from app.models import HamrahUser

    manager = as_user("manager")
    user = db.session.scalars(select(HamrahUser).filter_by(username="supervisor")).one()
    page = manager.get(f"/users/edit/{user.id}")
    assert page.status_code == 200 and 'name="regions"' in page.data.decode()
    for username in ("clerk", "agent", "supervisor"):
        assert as_user(username).get("/regionmodelview/list/").status_code in (302, 403)


# --- host sign-in: the token's region ------------------------------------------------------

@pytest.mark.parametrize(("claims", "region"), [
    ({"region_code": "02"}, "02"),
    ({"region_code": "nowhere"}, DEFAULT_REGION_CODE),
    ({}, DEFAULT_REGION_CODE),
    ({"region_code": 7}, DEFAULT_REGION_CODE),  # not text: as if absent
])
def test_an_office_created_on_first_sight_joins_the_tokens_region(app, claims, region):
    from tests.test_popup import _token

    client = app.test_client()
    response = client.get("/support/popup?token=" + _token(app, **claims))
    assert response.status_code == 302
    office = db.session.scalars(select(Office).filter_by(code="2001")).one()
    assert office.region.code == region


def test_the_token_never_moves_an_existing_office(app):
    from tests.test_popup import _token

    client = app.test_client()
    token = _token(app, sub="clerk", office_code="1001", region_code="02")
    assert client.get("/support/popup?token=" + token).status_code == 302
    office = db.session.scalars(select(Office).filter_by(code="1001")).one()
    assert office.region.code == "01"


# --- announcements targeted by region -----------------------------------------------------

def test_an_announcement_for_a_province_reaches_its_counties_clerks_and_supervisors(app):
    from datetime import timedelta

    from app.domain.announcements import read_report, visible_ids
    from app.models import Announcement, HamrahUser
    from app.models.base import utcnow

    province = db.session.scalars(select(Region).filter_by(code="01")).one()
    county = _region("0101", province)
    office = Office(code="3001", name="دفتر شهرستان", region=county)
    db.session.add(office)
    db.session.flush()
    user = HamrahUser(username="clerk_county", first_name="x", last_name="-",
                      email="cc@example.org", active=True, office_id=office.id,
                      roles=[app.appbuilder.sm.find_role("Clerk")])
    notice = Announcement(title="استانی", body="متن", for_everyone=False, regions=[province],
                          publish_at=utcnow() - timedelta(minutes=1))
    db.session.add_all([user, notice])
    db.session.commit()
    reached = {name for name in ("clerk", "clerk2", "clerk3", "agent", "supervisor",
                                 "clerk_county")
               if notice.id in visible_ids(db.session, db.session.scalars(
                   select(HamrahUser).filter_by(username=name)).one())}
    assert reached == {"clerk", "clerk2", "supervisor", "clerk_county"}
    report = {u.username for u, _read_at in read_report(db.session, notice)}
    assert report == reached


def test_an_office_saved_without_a_region_is_in_the_default_region(as_user):
    manager = as_user("manager")
    added = manager.post("/officemodelview/add", data={"code": "4001", "name": "بی‌منطقه"})
    assert added.status_code == 302
    office = db.session.scalars(select(Office).filter_by(code="4001")).one()
    assert office.region.code == DEFAULT_REGION_CODE and office.sharing == "office"
    office_1001 = db.session.scalars(select(Office.id).filter_by(code="1001")).one()
    emptied = manager.post(f"/officemodelview/edit/{office_1001}", data={
        "code": "1001", "name": "شهر نمونه ۱", "region": "", "sharing": "office"})
    assert emptied.status_code == 302
    db.session.expire_all()
    moved = db.session.scalars(select(Office).filter_by(code="1001")).one()
    assert moved.region.code == DEFAULT_REGION_CODE
