from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from planning import views as planning_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
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
