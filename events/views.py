"""The organisers' pages. Every view fetches its event through Event.objects.managed_by(user): the
event's organising staff and coordinators get it, anyone else a 404. Changes are POST only."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, UpdateView

from napwps import formatting
from napwps.exporting import pdf_response, xlsx_response
from planning import roles

from . import exports, selectors, services
from .forms import (
    ORGANISATIONS_LIST,
    CorrectionForm,
    EventForm,
    FeedbackForm,
    FiguresFilterForm,
    MergeForm,
    RegistrationFieldsMixin,
    RegistrationForm,
    ScoreFormSet,
    SessionFormSet,
)
from .models import Event, RegistrationStatus

UNKNOWN_MATCH_NOTE = gettext_lazy(
    "Someone registered at another organiser's event has the same e-mail or phone: this is a new record, which a coordinator can merge with theirs if they are one person."
)


def managed_event(request, pk) -> Event:
    event = get_object_or_404(Event.objects.managed_by(request.user), pk=pk)
    services.mark_managed(request.user, event)  # the services need not ask again in this request
    return event


def not_yet(request, event: Event, message: str):
    """A clear answer, not a form, for what opens on a later day (check-in, certificates): 409."""
    return render(request, "events/not_yet.html", {"event": event, "message": message}, status=409)


def event_day(event: Event, day: str) -> datetime.date:
    try:
        parsed = datetime.date.fromisoformat(day)
    except ValueError as error:
        raise Http404 from error
    if parsed not in event.days:
        raise Http404
    return parsed


class ManagedEventMixin(LoginRequiredMixin):
    def get_queryset(self):
        return Event.objects.managed_by(self.request.user)


class EventListView(ManagedEventMixin, ListView):
    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        return (
            super().get_queryset().select_related("province")
            .annotate(registered=Count("participations", filter=~Q(participations__status=RegistrationStatus.CANCELLED), distinct=True))
            .order_by("-start_date")
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, may_organise=services.may_organise(self.request.user))


class EventDetailView(ManagedEventMixin, DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return super().get_queryset().select_related("province").prefetch_related("organisers", "co_organisers", "activities", "sessions")

    def get_context_data(self, **kwargs):
        event = self.object
        return super().get_context_data(
            **kwargs,
            figures=selectors.event_figures(Event.objects.filter(pk=event.pk)),
            attendance=selectors.attendance_by_day(event),
            certificate_count=selectors.certificate_recipients(event).count(),
            comments=selectors.event_comments(event),
        )


@login_required
def event_create(request):
    if not services.may_organise(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            event = services.event_create(
                user=request.user,
                organisers=data.pop("organisers"),
                co_organisers=data.pop("co_organisers"),
                activities=data.pop("activities"),
                managers=data.pop("managers"),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event is created. Add its agenda next."))
            return redirect("events:agenda-edit", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form})


class EventUpdateView(ManagedEventMixin, UpdateView):
    form_class = EventForm
    template_name = "events/event_form.html"
    context_object_name = "event"

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        relations = {name: data.pop(name) for name in ("organisers", "co_organisers", "activities", "managers")}
        try:
            self.object = services.event_update(event=self.object, user=self.request.user, **relations, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.object)


@login_required
def agenda_edit(request, pk):
    event = managed_event(request, pk)
    formset = SessionFormSet(request.POST or None, instance=event)
    if request.method == "POST" and formset.is_valid():
        services.agenda_save(
            event=event,
            user=request.user,
            sessions=[
                (form.instance if form.instance.pk else None, form.cleaned_data)
                for form in formset.forms
                if form.has_changed() and form not in formset.deleted_forms
            ],
            deleted=[form.instance for form in formset.deleted_forms if form.instance.pk],
        )
        messages.success(request, _("The agenda is saved."))
        return redirect(event)
    return render(request, "events/agenda_form.html", {"event": event, "formset": formset})


@login_required
def participant_list(request, pk):
    """The registrations, by given name; withdrawn ones apart, below, where they can be reinstated."""
    event = managed_event(request, pk)
    query = request.GET.get("q", "").strip()
    participations = selectors.search_registrations(selectors.event_participants(event, withdrawn=False), query)
    withdrawn = selectors.event_registrations(event, withdrawn=True)
    context = {"event": event, "participations": participations, "withdrawn": withdrawn, "q": query}
    return render(request, "events/participant_list.html", context)


def registration_context(event, form) -> dict:
    return {"event": event, "form": form, "organisations": RegistrationFieldsMixin.organisation_names(), "organisations_list": ORGANISATIONS_LIST}


@login_required
def participant_create(request, pk):
    event = managed_event(request, pk)
    form = RegistrationForm(request.POST or None, event=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            participation = services.participant_register(
                event=event, user=request.user, person=form.match, person_fields=None if form.match else form.person_fields(), **form.participation_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if participation.already_registered:
                messages.info(request, _("%(name)s was already registered: nothing was added.") % {"name": participation.person.full_name})
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": form.cleaned_data["full_name"]})
            if form.unknown_match:
                messages.info(request, UNKNOWN_MATCH_NOTE)
            return redirect("events:participant-create" if "another" in request.POST else "events:participant-list", pk=event.pk)
    return render(request, "events/participant_form.html", registration_context(event, form))


def event_registration(event: Event, pk):
    return get_object_or_404(selectors.event_registrations(event, withdrawn=None), pk=pk)


@login_required
def participation_edit(request, pk, participation):
    """Correct a registration (name, sex, organisation, sector, position, role), or withdraw it."""
    event = managed_event(request, pk)
    participation = event_registration(event, participation)
    form = CorrectionForm(request.POST or None, participation=participation)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_correct(participation=participation, user=request.user, **form.changes())
        except ValidationError as error:
            form.add_error(None, error.messages)  # also errors on fields the form does not show (the province)
        else:
            messages.success(request, _("The registration of %(name)s is corrected.") % {"name": participation.person.full_name})
            return redirect("events:participant-list", pk=event.pk)
    context = {**registration_context(event, form), "participation": participation}
    return render(request, "events/participation_form.html", context)


@login_required
@require_POST
def participation_withdraw(request, pk, participation):
    event = managed_event(request, pk)
    participation = event_registration(event, participation)
    services.participation_withdraw(participation=participation, user=request.user)
    messages.success(request, _("%(name)s is withdrawn: off the lists, sign-in sheets, certificates and counts.") % {"name": participation.person.full_name})
    return redirect("events:participant-list", pk=event.pk)


@login_required
@require_POST
def participation_reinstate(request, pk, participation):
    event = managed_event(request, pk)
    participation = event_registration(event, participation)
    services.participation_reinstate(participation=participation, user=request.user)
    messages.success(request, _("%(name)s is registered again.") % {"name": participation.person.full_name})
    return redirect("events:participant-list", pk=event.pk)


@login_required
def participant_export(request, pk):
    event = managed_event(request, pk)
    return xlsx_response(f"{event.code}-participants.xlsx", exports.participant_list(event))


@login_required
def follow_up_export(request, pk):
    event = managed_event(request, pk)
    return xlsx_response(f"{event.code}-follow-up.xlsx", exports.follow_up_list(event))


@login_required
def checkin(request, pk, day):
    """A phone-sized list of the day's (or one session's) people: search by name, one tap to mark present.

    Open from the day itself: a day to come answers 409 with a message. After a tap the list comes
    back at the person's row (#p-<id>), so a long list keeps its place.
    """
    event = managed_event(request, pk)
    day = event_day(event, day)
    if not event.has_begun(day):
        return not_yet(request, event, _("Check-in for %(day)s opens on that day.") % {"day": formatting.short_date(day)})
    sessions = list(event.sessions.filter(day=day))
    source = request.POST if request.method == "POST" else request.GET
    session = next((s for s in sessions if str(s.pk) == source.get("session", "")), None)
    if request.method == "POST":
        chosen = request.POST.get("participation", "").strip()
        participation = get_object_or_404(selectors.event_registrations(event), pk=int(chosen) if chosen.isascii() and chosen.isdigit() else 0)
        participation.event = event
        present = request.POST.get("present") == "1"
        services.attendance_set(participation=participation, day=day, session=session, present=present, user=request.user)
        if present:
            messages.success(request, _("%(name)s: present.") % {"name": participation.person})
        else:
            messages.info(request, _("%(name)s: no longer marked present.") % {"name": participation.person})
        url = reverse("events:checkin", kwargs={"pk": event.pk, "day": day.isoformat()})
        query = {key: value for key, value in (("session", session.pk if session else ""), ("q", request.POST.get("q", ""))) if value}
        return redirect(f"{url}?{urlencode(query)}#p-{participation.pk}" if query else f"{url}#p-{participation.pk}")
    query = request.GET.get("q", "").replace("\x00", "").strip()
    participations = selectors.checkin_list(event, day=day, session=session, query=query)
    present = selectors.present_count(event, day=day, session=session)
    context = {"event": event, "day": day, "sessions": sessions, "session": session, "participations": participations, "q": query, "present_count": present}
    return render(request, "events/checkin.html", context)


@login_required
def scores_edit(request, pk):
    event = managed_event(request, pk)
    participations = list(selectors.event_registrations(event))
    by_pk = {p.pk: p for p in participations}
    initial = [{"participation": p.pk, "pre_test_score": p.pre_test_score, "post_test_score": p.post_test_score} for p in participations]
    formset = ScoreFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            with transaction.atomic():
                for form in formset:
                    participation = by_pk.get(form.cleaned_data.get("participation"))
                    if participation is not None and form.has_changed():
                        services.scores_record(
                            participation=participation, user=request.user,
                            pre_test_score=form.cleaned_data["pre_test_score"], post_test_score=form.cleaned_data["post_test_score"],
                        )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Test scores saved."))
            return redirect(event)
    rows = [(form, by_pk.get(form.initial.get("participation"))) for form in formset]
    return render(request, "events/scores_form.html", {"event": event, "formset": formset, "rows": rows})


@login_required
def feedback_create(request, pk):
    event = managed_event(request, pk)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.feedback_record(event=event, user=request.user, **form.cleaned_data)
        messages.success(request, _("Feedback saved. Enter the next form."))
        return redirect("events:feedback-create", pk=event.pk)
    context = {"event": event, "form": form, "responses": event.feedback.count(), "comments": selectors.event_comments(event)}
    return render(request, "events/feedback_form.html", context)


@login_required
def sign_in_sheet(request, pk, day):
    event = managed_event(request, pk)
    day = event_day(event, day)
    return pdf_response(f"{event.code}-sign-in-{day.isoformat()}.pdf", exports.sign_in_sheet(event, day, request))


@login_required
def certificates(request, pk):
    """Issue the certificates earned so far (each its number, kept) and download them: from the last day on."""
    event = managed_event(request, pk)  # someone else's event is not found, whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        recipients = services.certificates_issue(event=event, user=request.user)
    except ValidationError as error:
        return not_yet(request, event, " ".join(error.messages))
    return pdf_response(f"{event.code}-certificates.pdf", exports.certificates(event, request, recipients=recipients))


@login_required
def report_pdf(request, pk):
    event = managed_event(request, pk)
    return pdf_response(f"{event.code}-report.pdf", exports.event_report_pdf(event, request))


@login_required
def report_xlsx(request, pk):
    event = managed_event(request, pk)
    return xlsx_response(f"{event.code}-report.xlsx", exports.event_report_xlsx(event))


def coordinator_only(request) -> None:
    if not roles.is_coordinator(request.user):
        raise PermissionDenied


@login_required
def people_duplicates(request):
    """People who share an e-mail or phone, for a coordinator to merge deliberately (or leave apart)."""
    coordinator_only(request)
    return render(request, "events/person_duplicates.html", {"groups": selectors.possible_duplicates()})


@login_required
def person_merge(request):
    """Both records side by side; merging is a POST that names which record is kept."""
    coordinator_only(request)
    source = request.POST if request.method == "POST" else request.GET
    form = MergeForm(source)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("events:people-duplicates")
    keep, duplicate = form.cleaned_data["keep"], form.cleaned_data["duplicate"]
    if request.method == "POST":
        try:
            services.person_merge(keep=keep, duplicate=duplicate, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s: the two records are now one person.") % {"name": keep.full_name})
            return redirect("events:people-duplicates")
    people = selectors.people_for_merge([keep.pk, duplicate.pk])
    return render(request, "events/person_merge.html", {"keep": people[keep.pk], "duplicate": people[duplicate.pk]})


@login_required
def figures(request):
    """Figures across the events this user may see, filterable by year, type, province and objective."""
    form = FiguresFilterForm(request.GET or None)
    events = selectors.visible_events(request.user)
    if form.is_valid():
        events = selectors.filter_events(events, **form.cleaned_data)
    context = {"form": form, "figures": selectors.event_figures(events), "attendance": selectors.attendance_across(events.select_related("province"))}
    return render(request, "events/figures.html", context)
