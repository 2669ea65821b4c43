"""Filters that live in the URL (django-filter), so a filtered view can be shared.

`PublicActivityFilter` filters `public.public_activity_queryset(plan, year=)`: its selects offer only
what is public (the plan's objectives and task groups, agencies leading a public activity, the
provinces of today, the published years), and an invalid value is a form error, never a 500.
"""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from napwps.text import fold, vi_sort_key
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
        # Agencies leading an activity of the chosen year; the provinces of today, each also matching
        # the units it was made of (public.in_province). Both in the Vietnamese alphabet.
        leads = Organisation.objects.filter(pk__in=self.queryset.order_by().values("lead_agency"))
        self.filters["agency"].queryset = in_order(leads, key=lambda agency: vi_sort_key(agency.name_vi))
        provinces = Province.objects.filter(valid_to__isnull=True)
        self.filters["province"].queryset = in_order(provinces, key=lambda province: vi_sort_key(province.name_vi))
        self.form.fields["province"].label_from_instance = lambda province: str(province.name)
        for name, form_field in self.form.fields.items():
            attrs = form_field.widget.attrs
            attrs["class"] = "form-control" if name == "q" else "form-select"
            if self.is_bound and name in self.form.errors:
                attrs["class"] += " is-invalid"
                attrs["aria-describedby"] = f"{self.form[name].auto_id}-errors"

    def chosen(self) -> dict:
        """The valid filters in force, by name, the year left out (it is the page's, not a filter)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if name != "year" and value not in (None, "")}

    def query(self) -> list[tuple[str, str]]:
        """The valid filters in force as query parameters, to keep in links (the year left out)."""
        return [(name, str(value.pk) if hasattr(value, "pk") else str(value)) for name, value in self.chosen().items()]

    def described(self) -> list[tuple[str, str]]:
        """The filters in force as (label, value) in the reader's language, for an export's cover."""
        described = []
        for name, value in self.chosen().items():
            if name == "province":
                value = value.name
            elif name == "status":
                value = dict(self.filters["status"].extra["choices"]).get(value, value)
            described.append((str(self.form.fields[name].label), str(value)))
        return described

    def scoped(self, queryset, name, value):
        return queryset  # the view scoped the queryset to the chosen year

    def search(self, queryset, name, value):
        for word in fold(value).split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def in_province(self, queryset, name, value):
        return public.in_province(queryset, value)

    def with_status(self, queryset, name, value):
        if value == NOT_REPORTED:
            return queryset.exclude(pk__in=list(self.progress))
        return queryset.filter(pk__in=[pk for pk, progress in self.progress.items() if progress.status == value])


def in_order(queryset, *, key):
    """A queryset ordered by a Python key (one query to read it): for orders a database collation
    cannot give, such as the Vietnamese alphabet."""
    ids = [row.pk for row in sorted(queryset, key=key)]
    if not ids:
        return queryset.none()
    return queryset.filter(pk__in=ids).order_by(Case(*[When(pk=pk, then=Value(index)) for index, pk in enumerate(ids)], output_field=IntegerField()))


def public_activity_filter(data, *, plan, years: list[int], year: int | None, queryset=None) -> PublicActivityFilter:
    """The public activities of `year` filtered by a query string (`objective`, `task_group`, `agency`,
    `province`, `status`, `q`): the one way the activities list, the plan page and the exports read
    their filters. `filterset.qs` holds the activities; `filterset.progress` their published progress.
    `queryset` replaces the public activities of the year (the plan page's staff view of drafts)."""
    data = data.copy()
    if year is not None and not data.get("year"):
        data["year"] = str(year)  # the latest published year, shown as chosen
    progress = public.public_progress(public.public_activities(plan, year=year), year=year) if year is not None else {}
    activities = public.public_activity_queryset(plan, year=year) if queryset is None else queryset
    return PublicActivityFilter(data, queryset=activities, plan=plan, years=years, progress=progress)
