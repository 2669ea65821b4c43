"""Shared fixtures. The reference and demo data are loaded ONCE per test database, right after it is
created (`django_db_setup` below), and committed. Every test still runs in a transaction rolled
back at its end, and starts from the state it asks for:

- `demo_data`: everything (reference data, the sample plan, the events, the demo accounts);
- `reference_data`: only the reference data: the rows the demo added are deleted inside the test's
  transaction (a few DELETEs by primary key, undone with the rest at rollback);
- neither: the database as the migrations left it, the same way.

Tests that commit (`transaction=True`, `live_server`: the browser tests) have the database flushed
after them, so for those the data they ask for is loaded again (both loaders are idempotent)."""

import hashlib

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models, transaction
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


class Snapshot:
    """The highest primary key of every table at one moment, and a checksum of the rows up to it."""

    def __init__(self):
        self.max_pk: dict[str, int] = {}
        self.checksum: dict[str, str] = {}

    @staticmethod
    def tables():
        seen = set()
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed or model._meta.db_table in seen:
                continue
            if isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField | models.IntegerField):
                seen.add(model._meta.db_table)
                yield model._meta.db_table, model._meta.pk.column

    @classmethod
    def take(cls, up_to: "Snapshot | None" = None, *, checksums: bool = True) -> "Snapshot":
        snapshot = cls()
        with connection.cursor() as cursor:
            for table, pk in cls.tables():
                quoted_table, quoted_pk = connection.ops.quote_name(table), connection.ops.quote_name(pk)
                cursor.execute(f"SELECT MAX({quoted_pk}) FROM {quoted_table}")
                snapshot.max_pk[table] = cursor.fetchone()[0] or 0
                if not checksums:
                    continue
                limit = (up_to or snapshot).max_pk.get(table, 0)
                cursor.execute(f"SELECT * FROM {quoted_table} WHERE {quoted_pk} <= %s ORDER BY {quoted_pk}", [limit])
                snapshot.checksum[table] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
        return snapshot

    def check_untouched_by(self, later: "Snapshot", what: str) -> None:
        """Restoring by deleting newer rows is exact only when the later loading changed no earlier row."""
        changed = [table for table, checksum in later.checksum.items() if checksum != self.checksum.get(table)]
        assert not changed, f"{what} changed rows that existed before it in {changed}: tests/conftest.py cannot undo that by deleting."

    def restore(self, now: "Snapshot") -> None:
        """Delete the rows added since this snapshot, in one transaction (foreign keys are checked at its end)."""
        with transaction.atomic(), connection.cursor() as cursor:
            for table, pk in self.tables():
                if now.max_pk.get(table, 0) > self.max_pk.get(table, 0):
                    cursor.execute(
                        f"DELETE FROM {connection.ops.quote_name(table)} WHERE {connection.ops.quote_name(pk)} > %s",
                        [self.max_pk[table]],
                    )


SNAPSHOTS: dict[str, Snapshot] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, then the reference and demo data, committed once for the session."""
    with django_db_blocker.unblock(), translation.override(settings.LANGUAGE_CODE):
        migrated = Snapshot.take()
        load_reference_data()
        reference = Snapshot.take()
        load_demo_data()
        demo = Snapshot.take()
        migrated.check_untouched_by(Snapshot.take(up_to=migrated), "Loading the reference and demo data")
        reference.check_untouched_by(Snapshot.take(up_to=reference), "Loading the demo data")
        SNAPSHOTS.update(migrated=migrated, reference=reference, demo=demo)


def _uses_db(request) -> bool:
    return bool(request.node.get_closest_marker("django_db")) or "_django_db_helper" in request.fixturenames


def _commits(request) -> bool:
    """A test whose changes are committed, after which pytest-django flushes the database."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    return transactional or "transactional_db" in request.fixturenames or "live_server" in request.fixturenames


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, Vietnamese, whatever the last request switched to."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _database_as_asked(request, default_language):
    """Start each database test from the data it asks for (see the module's docstring)."""
    if not _uses_db(request):
        return
    request.getfixturevalue("_django_db_helper")
    if "demo_data" in request.fixturenames:
        wanted = "demo"
    elif "reference_data" in request.fixturenames:
        wanted = "reference"
    else:
        wanted = "migrated"
    if not SNAPSHOTS:  # the database was set up elsewhere (e.g. --reuse-db): nothing to go back to
        return
    if _commits(request):
        now = Snapshot.take(checksums=False)
        if now.max_pk == SNAPSHOTS["demo"].max_pk:  # the session's data, not yet flushed by an earlier such test
            SNAPSHOTS["migrated"].restore(now)
        if wanted != "migrated":
            load_reference_data()
        if wanted == "demo":
            load_demo_data()
    elif wanted != "demo":
        SNAPSHOTS[wanted].restore(SNAPSHOTS["demo"])


@pytest.fixture
def reference_data(db):
    """The NAP, its agencies and provinces, as loaded from fixtures/ (see the module's docstring)."""


@pytest.fixture
def demo_data(db):
    """Reference data, the sample delivery plan, the events and the demo accounts (see the module's docstring)."""
