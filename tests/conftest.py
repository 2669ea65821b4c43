import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from planning.demo import REFERENCE_FIXTURES


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, Vietnamese, whatever the last request switched to."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def reference_data(db):
    """The NAP, its agencies and provinces, as loaded from fixtures/."""
    call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


@pytest.fixture
def demo_data(db):
    """Reference data, the sample delivery plan and the demo accounts."""
    call_command("load_demo_data", verbosity=0, stdout=io.StringIO())
