"""Template filters built into every template (settings.TEMPLATES "builtins"): no {% load %} needed.

{{ amount|money }}  {{ amount|money:"USD" }}  {{ count|number }}  {{ value|number:1 }}
{{ rate|percent }}  {{ day|short_date }}  {{ record.history_change_reason|history_reason }}
"""

from django import template

from napwps import formatting, history

register = template.Library()

register.filter("money", formatting.money, is_safe=False)
register.filter("number", formatting.number, is_safe=False)
register.filter("percent", formatting.percent, is_safe=False)
register.filter("short_date", formatting.short_date, is_safe=False)
register.filter("history_reason", history.render_reason, is_safe=False)


@register.simple_tag
def history_changes(record, page_obj, model):
    """The fields `record` changed against the record before it, with labels, local dates and numbers."""
    return history.changes_for(record, page_obj, model)


@register.simple_tag(takes_context=True)
def page_in(context, language: str, absolute: bool = False) -> str:
    """This page's URL in another language (`/vi/plan/2024/` ↔ `/en/plan/2024/`), its query kept;
    absolute for canonical and alternate links."""
    from django.urls import translate_url

    request = context.get("request")
    if request is None:
        return ""
    url = translate_url(request.get_full_path(), language)
    return request.build_absolute_uri(url) if absolute else url
