"""What support sees beside the thread: assignment, transfer, related tickets, history, canned replies."""
from app.domain import workspace
from app.domain.canned import canned_for
from app.domain.departments import department_choices
from app.domain.ticket_history import ticket_history
from app.extensions import db
from app.forms.work import AssignForm, OtherTicketForm, TransferForm
from app.views.known_issue_ticket import known_issue_panel


def staff_panel(ticket, reader) -> dict:
    assign_form = AssignForm(formdata=None, assignee=ticket.assignee_id or 0)
    agents = workspace.agent_choices(db.session, ticket)
    assign_form.offer(agents)
    transfer_form = TransferForm(formdata=None)
    transfer_form.department.choices = department_choices(db.session,
                                                          exclude_id=ticket.department_id)
    return {
        "assign_form": assign_form,
        "can_assign_me": any(agent_id == reader.id for agent_id, _name in agents),
        "transfer_form": transfer_form,
        "other_form": OtherTicketForm(formdata=None),
        "related": workspace.related_tickets(db.session, reader, ticket),
        "history": ticket_history(db.session, ticket.id),
        "canned": canned_for(db.session, ticket),
        "known": known_issue_panel(ticket, reader),
    }
