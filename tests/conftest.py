"""Shared fixtures. The reference and demo data are loaded ONCE per test database, right after it is
created (`django_db_setup` below); every test runs in a transaction rolled back to that state, so
`reference_data` and `demo_data` cost nothing per test. Tests that commit (`transaction=True`,
`live_server`: the browser tests) have the database flushed after them, so for those the two
fixtures load the data again (both loaders are idempotent)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from planning.demo import REFERENCE_FIXTURES


def load_reference_data():
    """The NAP, its agencies and provinces, as loaded from fixtures/."""
    call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


def load_demo_data():
    """Reference data, the sample delivery plan, the events and the demo accounts: what
    `manage.py load_demo_data` loads, without the command's own checks of where it runs."""
    from events import demo as events_demo
    from planning import demo as planning_demo

    events_demo.load(planning_demo.load())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, then the reference and demo data, committed once for the session."""
    with django_db_blocker.unblock(), translation.override(settings.LANGUAGE_CODE):
        load_reference_data()
        load_demo_data()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, Vietnamese, whatever the last request switched to."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _commits(request) -> bool:
    """A test whose changes are committed, after which pytest-django flushes the database."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    return transactional or "transactional_db" in request.fixturenames or "live_server" in request.fixturenames


@pytest.fixture
def reference_data(request, db):
    """The NAP, its agencies and provinces (already in the database; loaded again after a flush)."""
    if _commits(request):
        load_reference_data()


@pytest.fixture
def demo_data(request, db):
    """Reference data, the sample delivery plan, the events and the demo accounts (already in the
    database; loaded again after a flush)."""
    if _commits(request):
        load_reference_data()
        load_demo_data()
