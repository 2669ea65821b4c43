"""The public event pages for sitemap.xml (every event is public: see events.public_views)."""

from django.urls import reverse

from planning.sitemaps import PublicSitemap

from .models import Event


class EventListSitemap(PublicSitemap):
    changefreq = "weekly"

    def items(self):
        return ["events:public-list"]

    def location(self, item):
        return reverse(item)


class EventSitemap(PublicSitemap):
    url_name = "events:public-detail"

    def items(self):
        return list(Event.objects.order_by("-start_date", "code").only("pk"))


SITEMAPS = {"event-list": EventListSitemap, "events": EventSitemap}
