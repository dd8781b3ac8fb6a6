"""Rating through the API: the service's rules, out-of-range values, who may rate."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Rating
from tests.api.conftest import API, assert_field_messages


def _rating():
    db.session.expire_all()
    return db.session.scalars(select(Rating)).first()


def test_clerk_rates_and_changes_the_rating(api):
    clerk = api("clerk")
    first = clerk.put(f"{API}/tickets/1004481/rating", json={"stars": 4})
    assert first.status_code == 200 and first.json["result"]["stars"] == 4
    assert clerk.put(f"{API}/tickets/1004481/rating", json={"stars": "۵"}).status_code == 200
    assert _rating().stars == 5
    assert clerk.get(f"{API}/tickets/1004481").json["result"]["rating"]["stars"] == 5


@pytest.mark.parametrize("stars", [0, 6, -1, "abc", 4.5, True, None, [4], "", 10**30])
def test_out_of_range_ratings_are_400_on_stars(api, stars):
    response = api("clerk").put(f"{API}/tickets/1004481/rating", json={"stars": stars})
    assert response.status_code == 400, response.json
    assert "stars" in response.json["errors"]
    assert_field_messages(response.json["errors"])
    assert _rating() is None


def test_low_rating_needs_a_reason(api):
    clerk = api("clerk")
    response = clerk.put(f"{API}/tickets/1004481/rating", json={"stars": 1})
    assert response.status_code == 400 and "reason" in response.json["errors"]
    assert clerk.put(f"{API}/tickets/1004481/rating",
                     json={"stars": 1, "reason": "پاسخ ناقص بود"}).status_code == 200


def test_no_rating_before_an_answer_or_after_closing(api):
    clerk = api("clerk")
    early = clerk.put(f"{API}/tickets/1004482/rating", json={"stars": 4})
    assert early.status_code == 400 and early.json["message"]
    api("agent").post(f"{API}/tickets/1004481/close")
    assert clerk.put(f"{API}/tickets/1004481/rating", json={"stars": 4}).status_code == 400
    assert _rating() is None


@pytest.mark.parametrize("username", ["agent", "manager"])
def test_support_cannot_rate(api, username):
    assert api(username).put(f"{API}/tickets/1004481/rating", json={"stars": 5}).status_code == 403
    assert _rating() is None
