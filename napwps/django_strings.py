"""Messages of Django's admin, its auth and forms, and simple-history that their Vietnamese catalogues
lack or word wrongly for this portal, listed here so that `makemessages` keeps them in
locale/vi/LC_MESSAGES/django.po, which takes precedence over the libraries' own catalogues
(LOCALE_PATHS). Nothing imports this module: it exists to be read by xgettext.

The exact msgids (and contexts) are Django 5.2's and simple-history 3.x's; if an upgrade rewords one,
the English comes back on Vietnamese pages and tests/napwps/test_interface_language.py says where.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# The admin: the words Django's Vietnamese uses for bulk actions ("Hoạt động") mean *activity* in
# this portal, whose plan is made of activities; and "History" is translated as "memo".
RETRANSLATED = [
    gettext_noop("Action:"),
    gettext_noop("Run the selected action"),
    gettext_noop("Go"),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop("History"),
    gettext_noop("Add"),
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    gettext_noop("0 of %(cnt)s selected"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Site administration"),
    gettext_noop("Please enter the correct %(username)s and password for a staff account. Note that both fields may be case-sensitive."),
    gettext_noop("Add %(name)s"),
    gettext_noop("Log out"),
]

ADMIN = [
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Skip to main content"),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("View selected %(model)s"),
    gettext_noop(" By %(filter_title)s "),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
    ngettext_lazy("entry", "entries", 1),
    gettext_noop("Username:"),
    gettext_noop("Password:"),
]

AUTH = [
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Set password"),
    gettext_noop("Set password: %s"),
    gettext_noop("Reset password"),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be able to authenticate "
        "using other backends, such as Single Sign-On or LDAP."
    ),
    gettext_noop("Conflicting form data submitted. Please try again."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.", "This password is too short. It must contain at least %d characters.", 1
    ),
]

FORMS = [
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    gettext_noop("Constraint “%(name)s” is violated."),
    gettext_noop("Enter a complete value."),
    gettext_noop("The inline value did not match the parent instance."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    gettext_noop(
        "ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You may need to file a bug report if the issue persists."
    ),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", 1),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", 1),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop("Date out of range"),
]

# simple-history has no Vietnamese catalogue at all.
SIMPLE_HISTORY = [
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("Change history"),
    gettext_noop("Revert"),
    gettext_noop("Close"),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("None"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("Revert %s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    gettext_noop('The historical record "%(obj)s" was changed successfully.'),
    gettext_noop('The %(name)s "%(obj)s" was reverted successfully.'),
    gettext_noop("View %s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Change History"),
    gettext_noop("Deleted %(type_name)s"),
]
