"""Every interface string on a Vietnamese admin page is Vietnamese, the admin's and simple-history's own included."""

import html
import re
from pathlib import Path

import django
import pytest
import simple_history
from django.contrib.auth import get_user_model
from django.urls import reverse

from planning.models import DeliveryPlan

# What the issue found in English on Vietnamese pages, and the bulk-action word Django's catalogue gets wrong.
KNOWN_ENGLISH = [
    "Please correct the error below.",
    "Please correct the errors below.",
    "Show counts",
    "Hide counts",
    "Skip to main content",
    "Toggle theme",
    "View history",
    "Change reason",
    "Changed by",
    "Date/time",
    "Comment",
    "Changes",
    "Changed",
    "Added",
    "Created",
    "Object",
    "entries",
    "Action:",
    "Run the selected action",
    "Username:",
    "Password:",
    "Filter",
    "Log in",
    "History",
]
WRONG_VIETNAMESE = ["Hoạt động:", "Hoạt động gần đây", "Bản ghi nhớ", "Bắt đầu hành động"]


def catalogue_phrases(po_file: Path) -> list[str]:
    """The single-line English messages of a .po file that read as phrases (two words or more, no placeholders)."""
    phrases = []
    for line in po_file.read_text(encoding="utf-8").splitlines():
        match = re.match(r'^msgid(?:_plural)? "(.+)"$', line)
        if match:
            text = match.group(1).replace('\\"', '"')
            if "%" not in text and "{" not in text and "\\" not in text and len(text.split()) >= 2 and not text.startswith("#"):
                phrases.append(text)
    return phrases


DJANGO = Path(django.__file__).parent
ENGLISH_PHRASES = sorted(
    {
        *catalogue_phrases(DJANGO / "contrib/admin/locale/en/LC_MESSAGES/django.po"),
        *catalogue_phrases(DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po"),
        *catalogue_phrases(Path(simple_history.__file__).parent / "locale/de/LC_MESSAGES/django.po"),
    }
)


def visible_text(content: bytes) -> str:
    text = content.decode()
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r'(?:title|aria-label|placeholder|value|alt)="([^"]*)"', r" \1 ", text)  # read out loud too
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def english_on(content: bytes) -> list[str]:
    text = visible_text(content)
    words = set(re.findall(r"[\w:./%]+", text))
    found = [phrase for phrase in KNOWN_ENGLISH if (phrase in words if " " not in phrase else phrase in text)]
    found += [phrase for phrase in ENGLISH_PHRASES if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)]
    found += [phrase for phrase in WRONG_VIETNAMESE if phrase in text]
    found += [f"By {match}" for match in re.findall(r"(?<!\w)By (\w+)", text)]  # the filters' " By %(filter_title)s "
    return sorted(set(found))


@pytest.fixture
def coordinator_client(client, demo_data):
    client.force_login(get_user_model().objects.get(username="coordinator"))
    return client


@pytest.fixture
def superuser_client(client, demo_data):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "demo-password"))
    return client


def test_the_login_page_is_vietnamese(client, demo_data):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert english_on(response.content) == []


def test_the_index_is_vietnamese(superuser_client):
    response = superuser_client.get(reverse("admin:index"))
    assert english_on(response.content) == []


@pytest.mark.parametrize("query", ["", "?_facets=True", "?status__exact=draft"])
def test_a_list_with_actions_and_filters_is_vietnamese(superuser_client, query):
    response = superuser_client.get(reverse("admin:planning_deliveryplan_changelist") + query)
    assert response.status_code == 200
    assert "action" in response.content.decode()  # the bulk-action bar is there
    assert english_on(response.content) == []
    assert "Thao tác" in response.content.decode()


@pytest.mark.parametrize("model", ["activity", "budgetline", "indicator", "indicatorperiod", "organisation", "province"])
def test_other_lists_with_filters_are_vietnamese(superuser_client, model):
    response = superuser_client.get(reverse(f"admin:planning_{model}_changelist") + "?_facets=True")
    assert response.status_code == 200
    assert english_on(response.content) == []


def test_a_change_form_with_an_error_is_vietnamese(coordinator_client):
    delivery_plan = DeliveryPlan.objects.get(year=2025)
    url = reverse("admin:planning_deliveryplan_change", args=[delivery_plan.pk])
    response = coordinator_client.post(url, {"plan": delivery_plan.plan_id, "year": "", "approval_date": "31/02/2025", "change_reason": "x"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert english_on(response.content) == []


def test_an_activity_form_with_its_inline_is_vietnamese(superuser_client):
    from planning.models import Activity

    activity = Activity.objects.filter(budget_lines__isnull=False).first()
    response = superuser_client.get(reverse("admin:planning_activity_change", args=[activity.pk]))
    assert english_on(response.content) == []


def test_a_history_page_is_vietnamese(coordinator_client):
    delivery_plan = DeliveryPlan.objects.get(year=2024)
    response = coordinator_client.get(reverse("admin:planning_deliveryplan_history", args=[delivery_plan.pk]))
    assert response.status_code == 200
    assert english_on(response.content) == []


def test_the_check_finds_english(client, demo_data):
    """The check itself: the same login page in English is caught."""
    response = client.get(reverse("admin:login").replace("/vi/", "/en/"))
    assert "Log in" in english_on(response.content)
