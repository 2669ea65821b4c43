"""The public portal as a whole: every page answers anonymously in both languages, and nothing that
was not approved AND published appears on any of them (issue 9 §2)."""

import pytest
from django.urls import reverse
from django.utils import translation

from planning.selectors import public
from tests.factories import EventFactory, OrganisationFactory, leak_strings, public_world

pytestmark = pytest.mark.django_db

LANGUAGES = ("vi", "en")


def public_urls(world) -> list[str]:
    """Every public page of the world's plan (lists with their filters' options left open)."""
    year = world.year
    activities = list(public.public_activities(world.plan))
    indicators = list(public.public_indicators(world.plan))
    agencies = set(public.public_organisations(world.plan).values_list("pk", flat=True))
    event = EventFactory()
    event.activities.add(world.activities[0], world.hidden_activity)
    urls = [
        reverse("public:home"),
        reverse("public:home") + f"?year={year}",
        reverse("public:plan", args=[year]),
        reverse("public:plan", args=[year]) + f"?drafts=1&agency={world.agency.pk}&task_group={world.activities[0].task_group_id}",
        reverse("public:plan-latest") + "?drafts=1",
        reverse("public:activity-list"),
        reverse("public:activity-list") + "?q=LEAK",
        reverse("public:indicator-list"),
        reverse("public:agency-list"),
        reverse("events:public-list"),
        reverse("events:public-detail", args=[event.pk]),
        reverse("public:objective-detail", args=[world.objective.pk]),
        *[reverse("public:taskgroup-detail", args=[pk]) for pk in {a.task_group_id for a in activities}],
        *[reverse("public:activity-detail", args=[a.pk]) for a in activities],
        *[reverse("public:indicator-detail", args=[i.pk]) for i in indicators],
        *[reverse("public:agency-detail", args=[pk]) for pk in agencies],
    ]
    return urls


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_unpublished_value_appears_on_any_public_page(client, language):
    world = public_world(activities=3)
    world.activities[1].supporting_partners.add(OrganisationFactory(name_vi="Đối tác hỗ trợ"))
    leaks = leak_strings()
    with translation.override(language):
        urls = [*public_urls(world), "/sitemap.xml"]
    assert len(urls) > 20
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        found = [leak for leak in leaks if leak in html]
        assert not found, f"{url} shows {found}"


def test_pages_of_unpublished_rows_are_not_found(client):
    world = public_world(activities=2)
    hidden_indicator = world.hidden_activity.indicators.first()
    urls = [reverse("public:activity-detail", args=[world.hidden_activity.pk]), reverse("public:plan", args=[world.year + 1])]
    if hidden_indicator is not None:
        urls.append(reverse("public:indicator-detail", args=[hidden_indicator.pk]))
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_sitemap_lists_public_pages_only(client):
    world = public_world(activities=2)
    xml = client.get("/sitemap.xml").content.decode()
    for language in LANGUAGES:
        with translation.override(language):
            assert reverse("public:activity-detail", args=[world.activities[0].pk]) in xml
            assert reverse("public:activity-detail", args=[world.hidden_activity.pk]) not in xml
