from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from events import sitemaps as event_sitemaps
from planning import sitemaps as planning_sitemaps
from planning import views as planning_views

SITEMAPS = {**planning_sitemaps.SITEMAPS, **event_sitemaps.SITEMAPS}

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]
urlpatterns += i18n_patterns(
    # Before the admin's own URLs: its login page (admin:login, settings.LOGIN_URL) is the portal's.
    path("admin/login/", planning_views.LoginView.as_view(), name="login"),
    path("admin/", admin.site.urls),
    path("events/", include("events.urls")),
    path("workspace/", include("planning.urls")),
    path("start/", planning_views.start, name="start"),
    path("", include("planning.public_urls")),
)
