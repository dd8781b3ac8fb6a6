"""The checks' extra users (deploy/cluster_check.py): their names, and `cluster_check.py users`,
which makes them with the app itself (run by cluster.sh with node1's environment).

No connection is opened here: the setup mode runs before the checks' world exists.
"""
import os
import sys

LOAD_CLERKS = [f"clerk-load-{n}" for n in range(1, 9)]
LIMIT_CLERK = "clerk-limit"
LOCK_CLERK = "clerk-lock"


def create_users() -> None:
    """Clerks of office 1001 for the load and the limit checks (password = username)."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.domain.roles import CLERK
    from app.extensions import db
    from app.models import HamrahUser, Office

    app = create_app("config.Config")
    with app.app_context():
        office = db.session.scalars(select(Office).filter_by(code="1001")).one()
        role = app.appbuilder.sm.find_role(CLERK)
        for name in LOAD_CLERKS + [LIMIT_CLERK, LOCK_CLERK]:
            if db.session.scalars(select(HamrahUser).filter_by(username=name)).first():
                continue
            db.session.add(HamrahUser(
                username=name, first_name=name, last_name="-", display_name=name,
                email=f"{name}@example.org", active=True, roles=[role], office_id=office.id,
                password=generate_password_hash(
                    name, method=app.config["FAB_PASSWORD_HASH_METHOD"])))
        db.session.commit()
    print(f"users ready: {', '.join(LOAD_CLERKS + [LIMIT_CLERK, LOCK_CLERK])}")
