"""Files made from one event: the participant list, the sign-in sheet, certificates, the event report.

Each function returns the file's bytes; the views wrap them with `napwps.exporting.xlsx_response` or
`pdf_response`. Callers pass an event the user may already see (fetched through
`events.selectors.visible_events`): nothing here checks permissions. Figures come from
`events.selectors`, so the report counts people the way the pages and the indicators do.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from napwps.exporting import Sheet, pdf_bytes, workbook_bytes

from . import selectors
from .models import SYNTHETIC_PARTICIPANTS_NOTE, Event, Participation, Person, Session

SIGN_IN_BLANK_ROWS = 5  # for people who come without registering


def label(model, field_name: str) -> str:
    return capfirst(str(model._meta.get_field(field_name).verbose_name))


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


# Participant list -------------------------------------------------------------------------------


def participant_header() -> list[str]:
    return [
        _("ID"),
        label(Person, "full_name"),
        label(Person, "sex"),
        label(Person, "age_band"),
        label(Participation, "organisation"),
        label(Participation, "organisation_type"),
        label(Participation, "sector"),
        label(Participation, "position"),
        label(Participation, "province"),
        label(Participation, "role"),
        label(Participation, "status"),
        label(Person, "email"),
        label(Person, "phone"),
        label(Participation, "consent_data"),
        label(Participation, "consent_photos"),
        label(Participation, "consent_follow_up"),
        label(Participation, "accessibility_needs"),
        _("Days present"),
        label(Participation, "pre_test_score"),
        label(Participation, "post_test_score"),
    ]


def participant_rows(event: Event):
    """One row per participation, cancelled ones included (their status says so)."""
    for participation in selectors.event_participants(event):
        person = participation.person
        if participation.organisation_type is not None:
            organisation_type = participation.get_organisation_type_display()
        elif participation.organisation_id:
            organisation_type = participation.organisation.get_type_display()
        else:
            organisation_type = ""
        yield [
            participation.pk,
            person.full_name,
            person.get_sex_display(),
            person.get_age_band_display(),
            participation.organisation_label,
            organisation_type,
            participation.get_sector_display(),
            participation.position,
            participation.province.name if participation.province_id else "",
            participation.get_role_display(),
            participation.get_status_display(),
            person.email,
            person.phone,  # text: a leading zero is part of the number
            yes_no(participation.consent_data),
            yes_no(participation.consent_photos),
            yes_no(participation.consent_follow_up),
            participation.accessibility_needs,
            participation.days_present,
            participation.pre_test_score,
            participation.post_test_score,
        ]


def participant_list(event: Event) -> bytes:
    """The event's participants with their details, as an .xlsx."""
    return workbook_bytes([Sheet(title=_("Participants"), header=participant_header(), rows=participant_rows(event))])


def follow_up_list(event: Event) -> bytes:
    """Contacts of the people who consented to follow-up, and no one else, as an .xlsx."""
    header = [
        label(Person, "full_name"),
        label(Participation, "organisation"),
        label(Participation, "position"),
        label(Person, "email"),
        label(Person, "phone"),
    ]
    rows = ([p.person.full_name, p.organisation_label, p.position, p.person.email, p.person.phone] for p in selectors.follow_up_contacts(event))
    return workbook_bytes([Sheet(title=_("Follow-up"), header=header, rows=rows)])


# Sign-in sheet ----------------------------------------------------------------------------------


def sign_in_sheet(event: Event, day: datetime.date, request=None) -> bytes:
    """A PDF to sign on one day: everyone registered (not cancelled), by name, with a bilingual header."""
    days = event.days
    if day not in days:
        raise ValueError(f"{day:%d/%m/%Y} is not a day of the event {event.code}.")
    participations = selectors.event_registrations(event)  # withdrawn registrations are off the sheet
    context = {
        "event": event,
        "day": day,
        "day_number": days.index(day) + 1,
        "participations": list(participations),
        "blank_rows": range(SIGN_IN_BLANK_ROWS),
    }
    return pdf_bytes("events/pdf/sign_in_sheet.html", context, request=request)


# Certificates -----------------------------------------------------------------------------------


def certificates(event: Event, request=None, *, recipients=None) -> bytes:
    """One page per person present on at least `event.certificate_min_days` days, by name.

    `recipients` are those `services.certificates_issue` returned, each with its `.certificate`
    (number and date of issue); the signatory is the event's."""
    context = {
        "event": event,
        "recipients": list(selectors.certificate_recipients(event) if recipients is None else recipients),
        "organisers": [str(organisation.name) for organisation in event.organisers.all()],
        "co_organisers": [str(organisation.name) for organisation in event.co_organisers.all()],
    }
    return pdf_bytes("events/pdf/certificates.html", context, request=request)


# Event report -----------------------------------------------------------------------------------


@dataclass
class Breakdown:
    dimension: str
    title: str
    column: str
    rows: list[tuple[str, int, object]]  # category, people, share of the breakdown's people (%)


class EventReport:
    """The figures of one event, as the PDF and the .xlsx show them: aggregates only, no names."""

    def __init__(self, event: Event):
        self.event = event
        self.figures = figures = selectors.event_figures(Event.objects.filter(pk=event.pk), min_days=1)
        self.people = figures.people
        self.everyone = figures.everyone
        self.knowledge = figures.knowledge
        self.satisfaction = figures.satisfaction
        self.attendance = selectors.attendance_by_day(event)
        self.sessions = list(event.sessions.all())
        self.synthetic_note = SYNTHETIC_PARTICIPANTS_NOTE
        self.comments = list(selectors.event_comments(event).values_list("comments", flat=True))

    @cached_property
    def details(self) -> list[tuple[str, object]]:
        event = self.event
        return [
            (label(Event, "code"), event.code),
            (label(Event, "type"), event.get_type_display()),
            (label(Event, "title_vi"), event.title_vi),
            (label(Event, "title_en"), event.title_en),
            (label(Event, "start_date"), event.start_date),
            (label(Event, "end_date"), event.end_date),
            (_("Venue"), str(event.venue)),
            (label(Event, "province"), event.province.name if event.province_id else ""),
            (label(Event, "modality"), event.get_modality_display()),
            (label(Event, "organisers"), ", ".join(str(organisation.name) for organisation in event.organisers.all())),
            (label(Event, "co_organisers"), ", ".join(str(organisation.name) for organisation in event.co_organisers.all())),
            (_("Report made on"), timezone.localdate()),
        ]

    @cached_property
    def breakdowns(self) -> list[Breakdown]:
        """The people trained by sex, sector, province and age band, then everyone who took part by role."""
        columns = {
            "sex": label(Person, "sex"),
            "sector": label(Participation, "sector"),
            "province": label(Participation, "province"),
            "role": label(Participation, "role"),
            "age_band": label(Person, "age_band"),
        }
        return [
            Breakdown(
                breakdown.dimension,
                breakdown.title,
                columns[breakdown.dimension],
                rows=[(category, count, selectors.percent(count, breakdown.total)) for category, count in breakdown.rows],
            )
            for breakdown in self.figures.breakdowns()
        ]

    @property
    def knowledge_rows(self) -> list[tuple[str, object]]:
        knowledge = self.knowledge
        return [
            (_("People with both a pre-test and a post-test"), knowledge.pairs),
            (_("Mean pre-test score (%)"), knowledge.mean_pre),
            (_("Mean post-test score (%)"), knowledge.mean_post),
            (_("Mean gain (percentage points)"), knowledge.mean_gain),
            (_("People whose score improved"), knowledge.improved),
            (_("Share whose score improved (%)"), knowledge.improved_share),
        ]

    @property
    def satisfaction_rows(self) -> list[tuple[str, object]]:
        return [
            (_("Feedback forms"), self.satisfaction.responses),
            (_("Mean satisfaction (1–5)"), self.satisfaction.satisfaction),
            (_("Mean relevance (1–5)"), self.satisfaction.relevance),
        ]

    def attendance_header(self) -> list[str]:
        return [_("Day"), _("Present"), _("Expected"), _("Attendance rate (%)")]

    def agenda_header(self) -> list[str]:
        return [
            label(Session, "day"),
            label(Session, "start_time"),
            label(Session, "end_time"),
            _("Session"),
            label(Session, "speakers"),
            label(Session, "facilitators"),
        ]

    def sheets(self) -> list[Sheet]:
        figure, value = _("Figure"), _("Value")
        summary = [
            *([[_("Note"), str(SYNTHETIC_PARTICIPANTS_NOTE)]] if self.event.synthetic_participants else []),
            *([name, item] for name, item in self.details),
            [_("People: participants who attended at least one day, counted once"), self.people.total],
            [_("Everyone who took part in any role (participants, speakers, facilitators, organisers), counted once"), self.everyone.total],
            *([name, item] for name, item in self.knowledge_rows),
            *([name, item] for name, item in self.satisfaction_rows),
        ]
        breakdowns = [[breakdown.title, category, count, share] for breakdown in self.breakdowns for category, count, share in breakdown.rows]
        return [
            Sheet(title=_("Summary"), header=[figure, value], rows=summary),
            Sheet(title=_("People by group"), header=[_("Group"), _("Category"), _("People"), _("Share (%)")], rows=breakdowns),
            Sheet(
                title=_("Attendance by day"), header=self.attendance_header(), rows=([day.day, day.present, day.expected, day.rate] for day in self.attendance)
            ),
            Sheet(
                title=_("Agenda"),
                header=self.agenda_header(),
                rows=([session.day, session.start_time, session.end_time, session.title, session.speakers, session.facilitators] for session in self.sessions),
            ),
            Sheet(title=_("Comments"), header=[_("No."), _("Comment")], rows=([number, comment] for number, comment in enumerate(self.comments, start=1))),
        ]


def event_report_pdf(event: Event, request=None) -> bytes:
    return pdf_bytes("events/pdf/event_report.html", {"event": event, "report": EventReport(event)}, request=request)


def event_report_xlsx(event: Event) -> bytes:
    return workbook_bytes(EventReport(event).sheets())
