"""Filters that live in the URL (django-filter), so a filtered view can be shared.

`PublicActivityFilter` filters `public.public_activity_queryset(plan, year=)`: its selects offer only
what is public (the plan's objectives and task groups, agencies leading a public activity, the
provinces of today, the published years), and an invalid value is a form error, never a 500.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from napwps.text import fold
from planning.models import Activity, ActivityStatus, Organisation, Province
from planning.selectors import public

NOT_REPORTED = "not_reported"
MAX_SEARCH_WORDS = 10


class PublicActivityFilter(django_filters.FilterSet):
    """The public activities list's filters. `plan`, `years` (published years, oldest first) and
    `progress` (the chosen year's `public.public_progress`, by activity id) come from the view, which
    also scopes the queryset to the chosen year."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        help_text=_("Code or title, in Vietnamese or English, with or without diacritics."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    year = django_filters.ChoiceFilter(label=_("Year"), method="scoped", empty_label=None)
    objective = django_filters.ModelChoiceFilter(label=_("Objective"), field_name="output__objective", queryset=None, empty_label=_("All objectives"))
    task_group = django_filters.ModelChoiceFilter(label=_("Task group"), field_name="task_group", queryset=None, empty_label=_("All task groups"))
    agency = django_filters.ModelChoiceFilter(label=_("Lead agency"), field_name="lead_agency", queryset=None, empty_label=_("All agencies"))
    province = django_filters.ModelChoiceFilter(label=_("Province"), method="in_province", queryset=None, empty_label=_("All provinces"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="with_status", choices=[*ActivityStatus.choices, (NOT_REPORTED, _("Not reported yet"))], empty_label=_("All statuses")
    )

    class Meta:
        model = Activity
        fields = ["q", "year", "objective", "task_group", "agency", "province", "status"]

    def __init__(self, data=None, queryset=None, *, plan, years: list[int], progress: dict, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.progress = progress
        self.filters["year"].extra["choices"] = [(year, year) for year in reversed(years)]
        self.filters["objective"].queryset = plan.objectives.order_by("order", "code")
        self.filters["task_group"].queryset = plan.task_groups.order_by("order", "code")
        leads = public.public_activities(plan).values("lead_agency")
        self.filters["agency"].queryset = Organisation.objects.filter(pk__in=leads).order_by("name_vi")
        # The provinces of today; each also matches the units it was made of before July 2025.
        self.filters["province"].queryset = Province.objects.filter(valid_to__isnull=True).order_by("name_vi")
        self.form.fields["province"].label_from_instance = lambda province: str(province.name)
        for name, form_field in self.form.fields.items():
            attrs = form_field.widget.attrs
            attrs["class"] = "form-control" if name == "q" else "form-select"
            if self.is_bound and name in self.form.errors:
                attrs["class"] += " is-invalid"
                attrs["aria-describedby"] = f"{self.form[name].auto_id}-errors"

    def scoped(self, queryset, name, value):
        return queryset  # the view scoped the queryset to the chosen year

    def search(self, queryset, name, value):
        for word in fold(value).split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def in_province(self, queryset, name, value):
        units = Province.objects.filter(Q(pk=value.pk) | Q(successors=value)).values("pk")
        through = Activity.provinces.through.objects.filter(activity_id=OuterRef("pk"), province_id__in=units)
        return queryset.filter(Exists(through))

    def with_status(self, queryset, name, value):
        if value == NOT_REPORTED:
            return queryset.exclude(pk__in=list(self.progress))
        return queryset.filter(pk__in=[pk for pk, progress in self.progress.items() if progress.status == value])


def public_activity_filter(data, *, plan, years: list[int], year: int | None) -> PublicActivityFilter:
    """The public activities of `year` filtered by a query string (`objective`, `task_group`, `agency`,
    `province`, `status`, `q`): the one way the activities list, the plan page and the exports read
    their filters. `filterset.qs` holds the activities; `filterset.progress` their published progress."""
    data = data.copy()
    if year is not None and not data.get("year"):
        data["year"] = str(year)  # the latest published year, shown as chosen
    progress = public.public_progress(public.public_activities(plan, year=year), year=year) if year is not None else {}
    activities = public.public_activity_queryset(plan, year=year)
    return PublicActivityFilter(data, queryset=activities, plan=plan, years=years, progress=progress)
