"""The two roles of step 1 and what each may do.

MOFA coordinators change everything. Agency focal points see the whole plan and change only their
own agency's activities, indicators, yearly values and budget lines. Groups and their model
permissions are kept in sync after every migrate; which rows a focal point may change is decided
here, per object, and enforced by the admin and every later view.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

COORDINATORS = "MOFA coordinators"
FOCAL_POINTS = "Agency focal points"
ORGANISERS = "Event organisers"
GROUP_LABELS = {COORDINATORS: _("MOFA coordinators"), FOCAL_POINTS: _("Agency focal points"), ORGANISERS: _("Event organisers")}

PLANNING_MODELS = [
    "organisation", "province", "provincesuccession", "meansofimplementation", "disaggregation", "frameworkreference", "sector",
    "plan", "objective", "taskgroup", "subtask", "deliveryplan", "output", "activity",
    "indicator", "indicatorperiod", "disaggregatedvalue", "budgetline", "membership",
    "reportingperiod", "activityprogress", "budgetexecution", "progressreport", "reporttransition", "reviewcomment",
    "approvedvalue", "evidence",
]  # fmt: skip
FOCAL_POINT_EDITS = [
    "activity",
    "indicator",
    "indicatorperiod",
    "disaggregatedvalue",
    "budgetline",
    "activityprogress",
    "budgetexecution",
    "progressreport",
    "evidence",
]
# Rows that only the services write, never a form: approvals and the log of a report's moves.
SERVICE_ONLY = ["approvedvalue", "reporttransition"]
# Coordinators create accounts and put them in the portal's groups; the admin (planning.admin.UserAdmin)
# keeps superuser status and per-user permissions out of their reach.
COORDINATOR_AUTH_PERMISSIONS = ["view_user", "add_user", "change_user", "view_group"]


def sync_groups(**kwargs):
    """post_migrate: create the groups and give them their model permissions (idempotent)."""
    planning = Permission.objects.filter(content_type__app_label="planning")
    coordinators, _created = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.add(
        *planning.filter(content_type__model__in=PLANNING_MODELS).exclude(content_type__model__in=SERVICE_ONLY, codename__regex=r"^(add|change|delete)_")
    )
    coordinators.permissions.remove(*planning.filter(content_type__model__in=SERVICE_ONLY).exclude(codename__startswith="view_"))
    coordinators.permissions.add(*Permission.objects.filter(content_type__app_label="auth", codename__in=COORDINATOR_AUTH_PERMISSIONS))
    focal_points, _created = Group.objects.get_or_create(name=FOCAL_POINTS)
    focal_points.permissions.add(
        *planning.filter(content_type__model__in=PLANNING_MODELS, codename__startswith="view_"),
        *planning.filter(content_type__model__in=FOCAL_POINT_EDITS).exclude(codename__startswith="view_"),
    )
    # Organisers run events (step 2); here they read the plan their events deliver.
    organisers, _created = Group.objects.get_or_create(name=ORGANISERS)
    organisers.permissions.add(*planning.filter(content_type__model__in=PLANNING_MODELS, codename__startswith="view_"))


def group_names(user) -> frozenset[str]:
    """The names of the user's groups, read once per user object (so once per request) and kept on it.

    Changing a user's groups through `accounts_sync_staff` (or reloading the user) forgets them.
    """
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = user._portal_group_names = frozenset(user.groups.values_list("name", flat=True))
    return cached


def forget_groups(user) -> None:
    user.__dict__.pop("_portal_group_names", None)


def is_coordinator(user) -> bool:
    return user.is_active and (user.is_superuser or COORDINATORS in group_names(user))


def is_focal_point(user) -> bool:
    return user.is_active and FOCAL_POINTS in group_names(user)


def is_organiser(user) -> bool:
    return user.is_active and ORGANISERS in group_names(user)


def has_portal_role(user) -> bool:
    """In one of the portal's groups: such an account signs in to the admin without anything else ticked."""
    return bool(group_names(user) & set(GROUP_LABELS))


def start_page(user) -> str:
    """Where a user lands after signing in: focal points on their agency's workspace, coordinators on
    the plan's admin, organisers on their events. Resolved by name: planning does not import events."""
    from django.urls import reverse

    if user.is_authenticated and is_organiser(user) and not (is_coordinator(user) or is_focal_point(user)):
        return reverse("events:event-list")
    if user.is_authenticated and not is_coordinator(user) and can_use_workspace(user):
        return reverse("planning:workspace")
    return reverse("admin:index")


def user_agency(user):
    """The organisation a user works for, or None."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.organisation if membership else None


def agency_of(obj: Model):
    """The agency that owns a row of the plan, for the rows focal points may edit."""
    from .models import Activity, ActivityProgress, BudgetExecution, BudgetLine, DisaggregatedValue, Evidence, Indicator, IndicatorPeriod, ProgressReport

    if isinstance(obj, ProgressReport):
        return obj.agency_id
    if isinstance(obj, Evidence):
        return obj.report.agency_id
    if isinstance(obj, ActivityProgress):
        return obj.activity.lead_agency_id
    if isinstance(obj, BudgetExecution):
        return obj.line.activity.lead_agency_id
    if isinstance(obj, Activity):
        return obj.lead_agency_id
    if isinstance(obj, Indicator):
        return obj.responsible_agency_id
    if isinstance(obj, IndicatorPeriod):
        return obj.indicator.responsible_agency_id
    if isinstance(obj, DisaggregatedValue):
        return obj.period.indicator.responsible_agency_id
    if isinstance(obj, BudgetLine):
        return obj.activity.lead_agency_id
    return None


def can_edit(user, obj: Model) -> bool:
    """May this user change this row? Model permissions first, then ownership for focal points."""
    if not user.is_active:
        return False
    opts = obj._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return False
    if is_coordinator(user):
        return True
    agency = user_agency(user)
    return agency is not None and agency_of(obj) == agency.pk


def editable(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` this user may change."""
    opts = queryset.model._meta
    if not user.is_active or not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return queryset.none()
    if is_coordinator(user):
        return queryset
    agency = user_agency(user)
    if agency is None or not hasattr(queryset, "for_agency"):
        return queryset.none()
    return queryset.for_agency(agency)


# The reporting cycle (step 4) -----------------------------------------------------------------------


def agency_id_of(user) -> int | None:
    """The id of the user's agency, read once per user object (so once per request)."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_portal_agency_id", False)
    if cached is False:
        membership = getattr(user, "membership", None)
        cached = user._portal_agency_id = membership.organisation_id if membership else None
    return cached


def can_write_report(user, agency_id: int) -> bool:
    """Write an agency's report (its items, narrative and evidence) and submit it: the agency's focal
    points, and coordinators on its behalf (who then may not approve it)."""
    if not user.is_active:
        return False
    if is_coordinator(user):
        return True
    return is_focal_point(user) and agency_id is not None and agency_id_of(user) == agency_id


def can_review(user) -> bool:
    """Return, approve and publish reports, comment on their items, make evidence public."""
    return user.is_active and is_coordinator(user)


def can_use_workspace(user) -> bool:
    return user.is_authenticated and user.is_active and (is_coordinator(user) or (is_focal_point(user) and agency_id_of(user) is not None))


def visible_reports(user, queryset: QuerySet) -> QuerySet:
    """The reports (drafts included) this user may read: coordinators all, a focal point their agency's."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if is_coordinator(user):
        return queryset
    agency = agency_id_of(user)
    if agency is None or not is_focal_point(user):
        return queryset.none()
    return queryset.filter(agency_id=agency)


def visible_evidence(user, queryset: QuerySet) -> QuerySet:
    """Evidence this user may download: public files to anyone, the rest to those who may read its report."""
    from django.db.models import Q

    if not user.is_authenticated or not user.is_active:
        return queryset.filter(is_public=True)
    if is_coordinator(user):
        return queryset
    agency = agency_id_of(user)
    if agency is None or not is_focal_point(user):
        return queryset.filter(is_public=True)
    return queryset.filter(Q(is_public=True) | Q(report__agency_id=agency))


# wp-review: who is told about a report ------------------------------------------------------------


def coordinators_to_notify() -> QuerySet:
    """Active coordinators with an e-mail address: told when a report is submitted."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, groups__name=COORDINATORS).exclude(email="").distinct().order_by("pk")


def focal_points_to_notify(agency_id: int) -> QuerySet:
    """An agency's active focal points with an e-mail address: told when its report is due, returned or approved."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=FOCAL_POINTS, membership__organisation_id=agency_id)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


# wp-workspace: the focal points' workspace --------------------------------------------------------


def workspace_rows(user, queryset: QuerySet) -> QuerySet:
    """The rows of the plan (activities, indicators, budget lines, their yearly items) this user reports
    on in the workspace: coordinators all, a focal point their agency's (`for_agency`), anyone else none."""
    if not can_use_workspace(user):
        return queryset.none()
    if is_coordinator(user):
        return queryset
    return queryset.for_agency(agency_id_of(user))


def workspace_agencies(user, queryset: QuerySet) -> QuerySet:
    """The agencies whose workspace this user may open: coordinators any, a focal point their own."""
    if not can_use_workspace(user):
        return queryset.none()
    if is_coordinator(user):
        return queryset
    return queryset.filter(pk=agency_id_of(user))


# Drafts: what an agency reports before approval ---------------------------------------------------


def sees_drafts_of(user, obj) -> bool:
    """May this user read the working (unapproved) values of a row's agency: coordinators all, a
    focal point their own agency's. Everyone else reads approved values only."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_coordinator(user):
        return True
    agency = agency_id_of(user)
    return agency is not None and is_focal_point(user) and agency_of(obj) == agency


def visible_drafts(user, queryset: QuerySet) -> QuerySet:
    """The working rows (indicator periods, yearly progress, execution) this user may read."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if is_coordinator(user):
        return queryset
    agency = agency_id_of(user)
    if agency is None or not is_focal_point(user):
        return queryset.none()
    return queryset.for_agency(agency)


def took_part_in(user, report) -> bool:
    """Did this user submit or edit the report? Then another coordinator decides on it (no self-approval)."""
    return user.pk == report.submitted_by_id or report.editors.filter(pk=user.pk).exists()
