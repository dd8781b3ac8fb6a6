"""`flask --app run hamrah ...`: set up, fill and look after a Hamrah Support database."""
import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db


@click.group("hamrah")
def hamrah():
    """Hamrah Support administration."""


@hamrah.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the schema, FAB's security data, permissions and our roles (idempotent)."""
    from flask_appbuilder.security.manager import BaseSecurityManager
    from flask_migrate import upgrade

    from app.domain.numbering import ensure_counter
    from app.domain.roles import apply_roles
    from app.infra.reference_cache import ensure_version_row

    try:
        upgrade(revision="heads")  # independent branches of migrations are fine
        appbuilder = current_app.appbuilder
        BaseSecurityManager.create_db(appbuilder.sm)  # Admin and Public roles
        appbuilder.add_permissions(update_perms=True)
        apply_roles(appbuilder.sm)
        ensure_counter(db.session, current_app.config["TICKET_NUMBER_START"])
        ensure_version_row(db.session)
        db.session.commit()
    except Exception as exc:  # the exit code must tell the truth
        raise click.ClickException(f"init failed: {exc}") from exc
    click.echo("Database ready.")


@hamrah.command("demo")
@with_appcontext
def demo_command():
    """Load the demo offices, departments, users, tickets and announcement (idempotent)."""
    from app.cli.demo_data import load_demo, load_demo_known_issue

    created = load_demo(db.session)
    load_demo_known_issue(db.session)
    click.echo("Demo data loaded." if created else "Demo data already present.")
    click.echo("Demo logins (password = username): manager, agent, agent2, clerk, clerk2, clerk3")


@hamrah.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the full-text search index of every ticket (subjects and non-internal messages)."""
    import time

    from app.domain.search import rebuild_index

    started = time.monotonic()
    with db.engine.begin() as connection:
        count = rebuild_index(connection, progress=lambda n: click.echo(f"  {n} tickets", err=True)
                              if n % 100000 == 0 else None)
    click.echo(f"Search index rebuilt: {count} tickets in {time.monotonic() - started:.1f} s.")


@hamrah.command("generate")
@click.option("--tickets", type=click.IntRange(min=1), required=True, help="How many tickets to add.")
@click.option("--seed", type=int, default=None, help="Random seed, for repeatable data.")
@with_appcontext
def generate_command(tickets, seed):
    """Add realistic benchmark tickets in bulk (COPY on PostgreSQL); see app/cli/generator.py."""
    from app.cli.generator import generate

    stats = generate(db.session, tickets, seed=seed, echo=click.echo)
    seconds = stats.pop("seconds")
    click.echo("Generated: " + ", ".join(f"{n:,} {table}" for table, n in stats.items()))
    click.echo(f"Elapsed: {seconds:.1f} s ({tickets / max(seconds, 0.001):,.0f} tickets/s).")


def _register_command_modules() -> None:
    from app.cli.attachments import register as register_attachments
    from app.cli.backup import register as register_backup
    from app.cli.notify import register as register_notify

    register_notify(hamrah)
    register_backup(hamrah)
    register_attachments(hamrah)


_register_command_modules()
