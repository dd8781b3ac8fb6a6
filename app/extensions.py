"""Unbound extensions, bound to an app in `create_app`.

`db` uses FAB's declarative `Model` so that one metadata holds FAB's `ab_*`
tables and ours, and Alembic autogenerate sees both.
"""
from flask_appbuilder import Model
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

db = SQLAlchemy(model_class=Model)
migrate = Migrate()
csrf = CSRFProtect()
