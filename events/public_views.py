"""Public event pages: aggregated figures only (`selectors.public_event_figures`), never a person.

Every event in the database is a real-world occurrence. The list shows those that have begun and,
marked "upcoming", those still to come (title, dates and place only). An event's figures show once
its last day is over. An event page lists only the activities of a published delivery plan
(`planning.selectors.public.public_activities`) and names organisations, never people.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from napwps import charts
from planning.selectors import public

from .models import Event, EventType
from .selectors import SMALL_GROUP, public_event_figures

PAGE_SIZE = 25


def public_events():
    """Every event with what its public row shows: organisations, not people."""
    return Event.objects.select_related("province").prefetch_related("organisers")


def event_years() -> list[int]:
    """The years events were held in, latest first (one query)."""
    years = Event.objects.annotate(year=ExtractYear("start_date")).values_list("year", flat=True).distinct().order_by("-year")
    return list(years)


class EventFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *EventType.choices])

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((year, year) for year in years)]


def event_list(request):
    today = timezone.localdate()
    form = EventFilterForm(request.GET or None, years=event_years())
    events = public_events()
    if form.is_valid():
        if form.cleaned_data["year"]:
            events = events.filter(start_date__year=form.cleaned_data["year"])
        if form.cleaned_data["type"]:
            events = events.filter(type=form.cleaned_data["type"])
    upcoming = list(events.filter(start_date__gt=today).order_by("start_date", "code"))
    page = Paginator(events.filter(start_date__lte=today).order_by("-start_date", "code"), PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "events/public/event_list.html",
        {"form": form, "today": today, "upcoming": upcoming, "page_obj": page, "events": page.object_list, "query": keep.urlencode(), "filtered": bool(keep)},
    )


def sex_chart(breakdown):
    """People trained by sex as bars, when every group is a number (a suppressed group stays text in the table)."""
    if not breakdown.rows or not all(isinstance(count, int) for _label, count in breakdown.rows):
        return None
    labels = [str(label) for label, _count in breakdown.rows]
    return charts.grouped_bars(labels, [(gettext("People trained"), [count for _label, count in breakdown.rows])], title=breakdown.title)


def event_detail(request, pk):
    event = get_object_or_404(Event.objects.select_related("province").prefetch_related("organisers", "co_organisers"), pk=pk)
    today = timezone.localdate()
    context = {"event": event, "today": today, "upcoming": event.start_date > today, "over": event.end_date < today, "small_group": SMALL_GROUP}
    if not context["upcoming"]:
        plan = public.public_plan()
        activities = public.public_activities(plan).filter(events=event).order_by("order", "code") if plan else []
        context["activities"] = list(activities)
    if context["over"]:
        figures = public_event_figures(Event.objects.filter(pk=event.pk))
        breakdowns = {breakdown.dimension: breakdown for breakdown in figures.breakdowns}
        context.update(figures=figures, sex_chart=sex_chart(breakdowns["sex"]) if "sex" in breakdowns else None)
    return render(request, "events/public/event_detail.html", context)


urlpatterns = [
    path("public/", event_list, name="public-list"),
    path("public/<int:pk>/", event_detail, name="public-detail"),
]
