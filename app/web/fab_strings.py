"""Flask-AppBuilder strings whose Persian we override in our own catalogue.

FAB 5.3 ships a Persian catalogue for its own strings, and flask-babel merges the
catalogues in the order of BABEL_TRANSLATION_DIRECTORIES: FAB's first, ours
(`translations/`) after it, so any msgid that our catalogue translates replaces FAB's
translation. Some of FAB's Persian is wrong (e.g. "Deleted Row" -> «روند حذف شده»,
"List View Menus" -> «منوهای نمای فهرست»), some is an imperative sentence where a
button or title needs a short label ("Save" -> «ذخیره کنید», "Add a new record" ->
«یک رکورد جدید اضافه کنید»), some is inconsistent with the rest of our interface
(«لیست» / «فهرست», «رول» / «نقش»), and a few strings have no Persian at all ("In",
"Groups", "User(s) exists in the role, cannot delete", the role and group help texts).

This module is never imported: it exists only so that `pybabel extract` (see
babel.cfg) keeps these msgids in `translations/messages.pot`, and so that
`tests/test_catalogue.py` demands a Persian translation for each. Every string here
must be spelled exactly as FAB spells it, or the override silently does nothing.
"""
from flask_babel import lazy_gettext

FAB_OVERRIDES = (
    # Login page and navbar
    lazy_gettext("Invalid login. Please try again."),
    lazy_gettext("Profile"),
    # Generated list / show / add / edit pages
    lazy_gettext("Add a new record"),
    lazy_gettext("Add"),
    lazy_gettext("Show"),
    lazy_gettext("Delete"),
    lazy_gettext("Save"),
    lazy_gettext("Page size"),
    lazy_gettext("Added Row"),
    lazy_gettext("Changed Row"),
    lazy_gettext("Deleted Row"),
    lazy_gettext("Already exists."),
    lazy_gettext("Integrity error, probably unique constraint"),
    lazy_gettext("Avg. of"),
    lazy_gettext("User confirmation needed"),  # title of the delete confirmation dialog
    # Search filters
    lazy_gettext("Starts with"),
    lazy_gettext("Not Starts with"),
    lazy_gettext("Ends with"),
    lazy_gettext("Not Ends with"),
    lazy_gettext("Contains"),
    lazy_gettext("Not Contains"),
    lazy_gettext("Equal to"),
    lazy_gettext("Not Equal to"),
    lazy_gettext("Greater than"),
    lazy_gettext("Smaller than"),
    lazy_gettext("In"),
    lazy_gettext("Not In"),
    lazy_gettext("Relation"),
    lazy_gettext("No Relation"),
    lazy_gettext("Relation as Many"),
    # Security screens: users and roles
    lazy_gettext("List Users"),
    lazy_gettext("Add User"),
    lazy_gettext("First Name"),
    lazy_gettext("Username valid for authentication on DB or LDAP, unused for OID auth"),
    lazy_gettext("The user's email, this will also be used for OID auth"),
    # FAB wraps these two in lazy_formatter_gettext, which FAB's own extraction misses
    lazy_gettext("The user role on the application, this will associate with a list of "
                 "permissions"),
    lazy_gettext("The user group on the application, this will associate with a list of "
                 "roles associated with the group"),
    lazy_gettext("Audit Info"),
    lazy_gettext("Created on"),
    lazy_gettext("Changed on"),
    lazy_gettext("Changed by"),
    lazy_gettext("It's not a good policy to remove a user, just make it inactive"),
    lazy_gettext("Reset my password"),
    lazy_gettext("Reset Password"),
    lazy_gettext("Passwords must match"),
    lazy_gettext("List Roles"),
    lazy_gettext("Add Role"),
    lazy_gettext("Copy the selected roles?"),
    lazy_gettext("User(s) exists in the role, cannot delete"),
    lazy_gettext("Groups"),
    lazy_gettext("Show Group"),
    lazy_gettext("Add Group"),
    lazy_gettext("Edit Group"),
    lazy_gettext("Either select a role or a group"),
    lazy_gettext("User(s) exists in the group, cannot delete"),
    # Security screens: permissions (Admin only)
    lazy_gettext("Views/Menus"),
    lazy_gettext("View/Menu"),
    lazy_gettext("List View Menus"),
    lazy_gettext("Show View Menu"),
    lazy_gettext("Add View Menu"),
    lazy_gettext("Edit View Menu"),
    lazy_gettext("Permission on Views/Menus"),
    lazy_gettext("Add Permission on Views/Menus"),
    lazy_gettext("Add Base Permission"),
)
