"""`{% export_query %}`: the current page's filters as the query string of an export link."""

from django import template

register = template.Library()

EXPORT_FILTERS = ("year", "objective", "task_group", "agency", "province", "status", "q")


@register.simple_tag(takes_context=True)
def export_query(context) -> str:
    """The page's filters (page number and staff switches left out), with the page's year when the
    year is in the path rather than the query (`/plan/2024/`). Autoescaped where it is used."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return ""
    for name in list(query):
        if name not in EXPORT_FILTERS:
            query.pop(name)
    if not query.get("year") and context.get("year"):
        query["year"] = str(context["year"])
    return query.urlencode()
