"""Host sign-in: the host application vouches for its clerk with a short-lived signed token.

An HS256 JWT signed with HOST_TOKEN_SECRET, naming the clerk (`sub`, `name`) and
office (`office_code`, `office_name`, optional `region_code`), with `iat`, `exp` (at most
HOST_TOKEN_MAX_AGE after `iat`) and a unique `jti`. Each token signs in once; the clerk and
the office are created on first sight. A new office joins the region named by `region_code`;
without it, or with a code no region has, it joins the default region (a manager moves it
later: refusing the clerk would leave them without support for a setting on our side). The
region of an office that already exists is the managers' to change, never the token's.
"""
import hashlib
import hmac
import secrets
import time
from datetime import datetime, timezone

import jwt
from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.domain.offices import office_code
from app.domain.regions import region_by_code
from app.domain.roles import CLERK
from app.models import HamrahUser, Office, UsedHostToken
from app.models.base import utcnow

ALGORITHM = "HS256"


class HostTokenInvalid(Exception):
    """Bad signature, expired, too long-lived, replayed or incomplete: nobody is signed in."""


def host_secret() -> str:
    """The configured shared secret, or one derived from SECRET_KEY for the demo host."""
    configured = current_app.config.get("HOST_TOKEN_SECRET")
    if configured:
        return configured
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"hamrah-host-token",
                    hashlib.sha256).hexdigest()


def make_token(username: str, name: str, office_code: str, office_name: str,
               lifetime: int = 120, region_code: str | None = None) -> str:
    now = int(time.time())
    claims = {"sub": username, "name": name, "office_code": office_code,
              "office_name": office_name, "iat": now, "exp": now + lifetime,
              "jti": secrets.token_hex(16)}
    if region_code is not None:
        claims["region_code"] = region_code
    return jwt.encode(claims, host_secret(), algorithm=ALGORITHM)


def _claims(token: str) -> dict:
    try:
        claims = jwt.decode(token, host_secret(), algorithms=[ALGORITHM],
                            options={"require": ["exp", "iat", "jti", "sub", "office_code"]})
    except jwt.PyJWTError as exc:
        raise HostTokenInvalid(str(exc)) from exc
    if claims["exp"] - claims["iat"] > current_app.config["HOST_TOKEN_MAX_AGE"]:
        raise HostTokenInvalid("token lifetime too long")
    for key in ("sub", "office_code", "jti"):
        if not isinstance(claims.get(key), str) or not claims[key].strip():
            raise HostTokenInvalid(f"bad {key}")
    return claims


def _spend(session, claims: dict) -> None:
    session.execute(delete(UsedHostToken).where(UsedHostToken.expires_at < utcnow()))
    expires = datetime.fromtimestamp(claims["exp"], timezone.utc).replace(tzinfo=None)
    session.add(UsedHostToken(jti=claims["jti"][:64], expires_at=expires))
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise HostTokenInvalid("token already used") from exc


def user_from_token(session, sm, token: str) -> HamrahUser:
    """Verify and spend the token; return the (possibly new) clerk it names."""
    claims = _claims(token)
    _spend(session, claims)
    code = office_code(claims["office_code"])[:20]
    office = session.scalars(select(Office).filter_by(code=code)).first()
    if office is None:
        region = claims.get("region_code")
        office = Office(code=code, name=(claims.get("office_name") or code)[:150],
                        region=region_by_code(session, region if isinstance(region, str) else None))
        session.add(office)
        session.flush()
    username = claims["sub"].strip()[:100]
    user = session.scalars(select(HamrahUser).filter_by(username=username)).first()
    if user is None:
        user = HamrahUser(username=username, first_name=(claims.get("name") or username)[:64],
                          last_name="-", display_name=(claims.get("name") or username)[:150],
                          email=f"{secrets.token_hex(8)}@host.invalid", active=True,
                          roles=[sm.find_role(CLERK)], office_id=office.id,
                          password="!" + secrets.token_hex(16))  # no password login
        session.add(user)
    elif CLERK not in {r.name for r in user.roles} or user.office_id != office.id:
        session.rollback()
        raise HostTokenInvalid("token names a user who is not a clerk of that office")
    session.commit()
    if not user.active:
        raise HostTokenInvalid("user inactive")
    return user
