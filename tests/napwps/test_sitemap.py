"""sitemap.xml lists every public page in both languages, with hreflang alternates, and nothing else."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import EventFactory, public_world

pytestmark = pytest.mark.django_db


def path(name, *args, language):
    with translation.override(language):
        return reverse(name, args=args)


def test_the_sitemap_lists_public_pages_in_both_languages_and_not_the_hidden_activity(client):
    world = public_world(activities=2)
    event = EventFactory()

    response = client.get("/sitemap.xml")

    xml = response.content.decode()
    assert response.status_code == 200
    for language in ("vi", "en"):
        assert f"{path('public:activity-detail', world.activities[0].pk, language=language)}</loc>" in xml
        assert f"{path('events:public-detail', event.pk, language=language)}</loc>" in xml
        assert f"{path('public:plan', world.year, language=language)}</loc>" in xml
        assert f"{path('public:agency-detail', world.agency.pk, language=language)}</loc>" in xml
        assert path("public:activity-detail", world.hidden_activity.pk, language=language) not in xml
    assert 'hreflang="en"' in xml and 'hreflang="vi"' in xml and 'hreflang="x-default"' in xml


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200 and "/sitemap.xml" in response.content.decode()
