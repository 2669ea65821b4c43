"""Checks a page shows beside an event, without each view computing them."""

from django import template

from events import selectors

register = template.Library()


@register.simple_tag
def activities_not_covering(event):
    """`{% activities_not_covering event as outside %}`: linked activities not planned for the event's days."""
    if event is None or event.pk is None:
        return []
    return selectors.activities_not_covering(event)
