"""What support sees beside the thread: assignment, transfer, related tickets, history, canned replies."""
from sqlalchemy import select

from app.extensions import db
from app.forms.work import AssignForm, OtherTicketForm, TransferForm
from app.models import Department, StatusChange, TicketActivity
from app.services import workspace
from app.services.canned import canned_for


def staff_panel(ticket, reader) -> dict:
    assign_form = AssignForm(formdata=None, assignee=ticket.assignee_id or 0)
    agents = workspace.assignable_agents(db.session, ticket)
    assign_form.assignee.choices = [(0, "-")] + [(u.id, u.shown_name) for u in agents]
    transfer_form = TransferForm(formdata=None)
    departments = db.session.scalars(select(Department).where(Department.active.is_(True))
                                     .where(Department.id != ticket.department_id)
                                     .order_by(Department.ordering))
    transfer_form.department.choices = [(d.id, d.display_name()) for d in departments]
    history = db.session.scalars(select(StatusChange).where(StatusChange.ticket_id == ticket.id)
                                 .order_by(StatusChange.changed_at, StatusChange.id))
    activities = db.session.scalars(select(TicketActivity)
                                    .where(TicketActivity.ticket_id == ticket.id)
                                    .order_by(TicketActivity.at, TicketActivity.id))
    return {
        "assign_form": assign_form,
        "can_assign_me": any(u.id == reader.id for u in agents),
        "transfer_form": transfer_form,
        "other_form": OtherTicketForm(formdata=None),
        "related": workspace.related_tickets(db.session, reader, ticket),
        "history": list(history),
        "activities": list(activities),
        "canned": canned_for(db.session, ticket),
    }
