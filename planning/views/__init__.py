"""Signing in and the start page: each role lands where its work is (roles.start_page)."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .. import roles


class LoginView(auth_views.LoginView):
    """Django's login, in the admin's look, for every page of the portal (the admin's own included).

    A safe `next` is followed; without one, or with an unsafe one (another site, `//evil`), the user
    lands on their start page, never on a missing page.
    """

    template_name = "registration/login.html"
    authentication_form = AdminAuthenticationForm  # active staff only: the portal's groups give staff (services.account_sync_staff)

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated and REDIRECT_FIELD_NAME not in request.GET:
            return redirect(roles.start_page(request.user))
        return super().get(request, *args, **kwargs)  # a page they may not see: offer another account

    def get_default_redirect_url(self):
        return roles.start_page(self.request.user)

    def get_context_data(self, **kwargs):
        return {
            **admin.site.each_context(self.request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": self.request.get_full_path(),
            "username": self.request.user.get_username(),
            **super().get_context_data(**kwargs),
        }


@login_required
def start(request):
    return redirect(roles.start_page(request.user))
