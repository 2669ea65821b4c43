"""Exports of the public portal (issue 10 §1–§2), mounted with the public pages at `/<lang>/`.

Published data only, read through `planning.selectors.public` after the public filters
(`planning.filters.public_activity_filter`: `year`, `objective`, `task_group`, `agency`, `province`,
`status`, `q`). An export covers one published plan-year (`?year=`, the latest by default); a filter
value that is not one of the choices is a 400 page in the reader's language, never a 500.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from napwps.exporting import xlsx_response
from planning.exports import LogframeWorkbook, filters_in_words
from planning.filters import public_activity_filter

from .public import year_context


def public_filters(request):
    """The plan, the chosen published year and the filterset, or a 400 response for bad values."""
    context = year_context(request)
    if context["delivery_plan"] is None:
        raise Http404
    years = [dp.year for dp in context["years"]]
    filterset = public_activity_filter(request.GET, plan=context["plan"], years=years, year=context["year"])
    if not filterset.is_valid():
        errors = [
            f"{filterset.form.fields[name].label}: {' '.join(messages)}" for name, messages in filterset.form.errors.items() if name in filterset.form.fields
        ]
        response = render(request, "planning/public/export_error.html", {"errors": errors, **context}, status=400)
        return context, None, response
    return context, filterset, None


def logframe_xlsx(request):
    """The logframe workbook of one published year: cover, logframe, activities, indicators, budget."""
    context, filterset, error = public_filters(request)
    if error is not None:
        return error
    workbook = LogframeWorkbook(plan=context["plan"], delivery_plan=context["delivery_plan"], filterset=filterset, filters_in_words=filters_in_words(filterset))
    filename = _("logframe-%(year)s.xlsx") % {"year": context["year"]}
    return xlsx_response(filename, workbook.render())


urlpatterns = [
    path("exports/logframe.xlsx", logframe_xlsx, name="export-logframe-xlsx"),
]
