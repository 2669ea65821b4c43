"""`{% load workspace %}`: the workspace's permission rule (planning.roles) for templates, e.g. base.html's menu."""

from django import template

from .. import roles

register = template.Library()


@register.filter
def can_use_workspace(user) -> bool:
    return roles.can_use_workspace(user)


@register.filter
def can_review(user) -> bool:
    return user.is_authenticated and roles.can_review(user)
