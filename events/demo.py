"""The events of the demo: the two real events this portal starts from (facts from DOMAIN.md §5)
with SAMPLE agendas and SYNTHETIC participants, one upcoming sample event, and a sample indicator
computed from their attendance. Idempotent."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from planning import services as planning_services
from planning.demo import SAMPLE_EN, SAMPLE_NOTE_EN, SAMPLE_NOTE_VI, SAMPLE_VI
from planning.models import Activity, Disaggregation, Indicator, Organisation, OrganisationType, Output, Plan, Province, ResultLevel
from planning.services import reporting

from . import services
from .models import (
    AgeBand,
    Attendance,
    Event,
    EventType,
    IndicatorRule,
    Modality,
    Person,
    RegistrationStatus,
    Role,
    Sector,
    Session,
    Sex,
)

# fmt: off
EVENTS = [
    {
        "code": "launch-da-nang-2024-08", "type": EventType.LAUNCH, "is_sample": False, "synthetic_participants": True,
        "title_vi": "Công bố Chương trình hành động quốc gia về Phụ nữ, hòa bình và an ninh và Hội thảo về phương pháp xây dựng Kế hoạch triển khai",
        "title_en": "Launch of the NAP on Women, Peace and Security and workshop on the method for building its Delivery Plan",
        "description_vi": "Công bố Chương trình và hội thảo về khung logic của kế hoạch hành động quốc gia các nước, chỉ số, dự toán ngân sách và huy động nguồn lực, xây dựng dự thảo khung logic ban đầu.",
        "description_en": "Launch of the NAP and workshop on the logical frameworks of other countries' NAPs, indicators, budgeting and resource mobilisation, and drafting a preliminary logframe.",
        "objectives_vi": "Công bố Chương trình hành động quốc gia; giới thiệu phương pháp xây dựng Kế hoạch triển khai (khung logic của kế hoạch hành động quốc gia các nước, chỉ số, dự toán ngân sách và huy động nguồn lực); xây dựng dự thảo khung logic ban đầu.",
        "objectives_en": "Launch the NAP; introduce the method for building its Delivery Plan (other countries' NAP logical frameworks, indicators, budgeting and resource mobilisation); draft a preliminary logframe.",
        "start_date": datetime.date(2024, 8, 8), "end_date": datetime.date(2024, 8, 9),
        "venue_vi": "Đà Nẵng", "venue_en": "Da Nang", "province": ("48", None), "modality": Modality.IN_PERSON,
        "organisers": ["mofa"], "co_organisers": ["un-women"], "audience": [Sector.GOVERNMENT],
        "activities": ["4.2.1"], "participants": 120,  # building the 2024 Delivery Plan (07–12/2024)
        # central ministries and provinces, UN Women staff organising and facilitating
        "staff": [(Role.ORGANISER, "mofa", 3), (Role.ORGANISER, "un-women", 2), (Role.FACILITATOR, "un-women", 3), (Role.SPEAKER, "mofa", 2), (Role.SPEAKER, "un-women", 1)],
        "profiles": [(0.35, Sector.GOVERNMENT, "ministries"), (0.55, Sector.GOVERNMENT, "provinces"), (0.10, Sector.WOMENS_MACHINERY, "vwu")],
        "sessions": [
            ("Công bố Chương trình hành động quốc gia", "Launch of the National Action Plan"),
            ("Khung logic trong kế hoạch hành động quốc gia của các nước", "Logical frameworks in other countries' NAPs"),
            ("Chỉ số và theo dõi, đánh giá", "Indicators, monitoring and evaluation"),
            ("Dự toán ngân sách và huy động nguồn lực", "Budgeting and resource mobilisation"),
            ("Thực hành: dự thảo khung logic ban đầu", "Practice: drafting a preliminary logframe"),
        ],
    },
    {
        "code": "technical-exchange-ha-noi-2024-11", "type": EventType.WORKSHOP, "is_sample": False, "synthetic_participants": True,
        "organisers_unconfirmed": True,  # the source, a UN Women event page, names no organiser
        "title_vi": "Trao đổi kỹ thuật về Chương trình nghị sự và Chương trình hành động quốc gia về Phụ nữ, hòa bình và an ninh cho các tổ chức xã hội tại Việt Nam",
        "title_en": "Technical exchange on the WPS agenda and the NAP WPS for social actors in Viet Nam",
        "description_vi": "An ninh phi truyền thống, Chương trình hành động quốc gia, vai trò vận động chính sách và triển khai của các tổ chức xã hội.",
        "description_en": "Non-traditional security, the NAP, and the advocacy and implementation roles of social actors.",
        "objectives_vi": "Trao đổi kỹ thuật với các tổ chức xã hội về an ninh phi truyền thống, Chương trình nghị sự và Chương trình hành động quốc gia về Phụ nữ, hòa bình và an ninh, và vai trò vận động chính sách, triển khai của các tổ chức xã hội.",
        "objectives_en": "A technical exchange with social actors on non-traditional security, the WPS agenda and the NAP, and their roles in advocacy and implementation.",
        "start_date": datetime.date(2024, 11, 26), "end_date": datetime.date(2024, 11, 28),
        "venue_vi": "Ngôi nhà chung Liên hợp quốc (Green One UN House), Hà Nội", "venue_en": "Green One UN House, Ha Noi",
        "province": ("01", None), "modality": Modality.IN_PERSON, "organisers": ["mofa"], "co_organisers": ["un-women"],
        "audience": [Sector.SOCIAL_ORGANISATION, Sector.WOMENS_MACHINERY, Sector.INGO, Sector.NGO, Sector.ACADEMIA, Sector.MEDIA],
        "activities": ["4.2.2"], "participants": 60,  # working with partners (11–12/2024)
        "staff": [(Role.FACILITATOR, "un-women", 2), (Role.SPEAKER, "mofa", 1), (Role.SPEAKER, "un-women", 1)],
        "profiles": [
            (0.25, Sector.SOCIAL_ORGANISATION, "samples"), (0.15, Sector.WOMENS_MACHINERY, "vwu"), (0.15, Sector.INGO, "samples"),
            (0.15, Sector.NGO, "samples"), (0.1, Sector.ACADEMIA, "samples"), (0.1, Sector.MEDIA, "samples"), (0.1, Sector.PRIVATE_SECTOR, "samples"),
        ],
        "sessions": [
            ("An ninh phi truyền thống và Chương trình nghị sự PN, HB&AN", "Non-traditional security and the WPS agenda"),
            ("Chương trình hành động quốc gia giai đoạn 2024–2030", "The NAP 2024–2030"),
            ("Vai trò vận động chính sách của các tổ chức xã hội", "Social actors' role in advocacy"),
            ("Vai trò triển khai của các tổ chức xã hội", "Social actors' role in implementation"),
        ],
    },
    {
        "code": "sample-training-da-nang-2026-12", "type": EventType.TRAINING, "is_sample": True, "synthetic_participants": True,
        "title_vi": SAMPLE_VI + "Tập huấn kỹ năng lãnh đạo cho cán bộ nữ cấp tỉnh",
        "title_en": SAMPLE_EN + "Leadership training for women officials at provincial level",
        "description_vi": SAMPLE_NOTE_VI, "description_en": SAMPLE_NOTE_EN,
        "start_date": datetime.date(2026, 12, 8), "end_date": datetime.date(2026, 12, 9),
        "venue_vi": "Đà Nẵng", "venue_en": "Da Nang", "province": ("48", "2025-07-01"), "modality": Modality.HYBRID,
        "organisers": ["moha"], "co_organisers": ["vwu"], "audience": [Sector.GOVERNMENT, Sector.WOMENS_MACHINERY],
        "activities": ["1.2.4"], "participants": 25, "staff": [(Role.ORGANISER, "moha", 2), (Role.FACILITATOR, "vwu", 1)],
        "profiles": [(0.7, Sector.GOVERNMENT, "provinces"), (0.3, Sector.WOMENS_MACHINERY, "vwu")],
        "sessions": [("Kỹ năng lãnh đạo", "Leadership skills"), ("Lồng ghép giới trong hoạch định chính sách", "Gender mainstreaming in policy-making")],
    },
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = {Sex.FEMALE: ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng"], Sex.MALE: ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành"]}
GIVEN = {
    Sex.FEMALE: ["Hà", "Lan", "Hương", "Mai", "Linh", "Trang", "Thảo", "Hằng", "Nga", "Yến", "Phương", "Huyền", "Oanh", "Ước"],
    Sex.MALE: ["Hùng", "Dũng", "Nam", "Tuấn", "Long", "Sơn", "Hải", "Quang", "Thắng", "Phúc", "Khoa", "Bình"],
}
# Organisations of the sectors the reference data does not list: sample names, each with its IATI type.
SAMPLE_ORGANISATIONS = {
    Sector.SOCIAL_ORGANISATION: [("(mẫu) Hội Luật gia", OrganisationType.NATIONAL_NGO), ("(mẫu) Hội Nữ trí thức", OrganisationType.NATIONAL_NGO), ("(mẫu) Mạng lưới Bình đẳng giới", OrganisationType.NATIONAL_NGO)],
    Sector.INGO: [("(mẫu) Tổ chức phi chính phủ quốc tế về Phát triển", OrganisationType.INGO), ("(mẫu) Tổ chức Hòa bình và Phụ nữ quốc tế", OrganisationType.INGO)],
    Sector.NGO: [("(mẫu) Trung tâm Hỗ trợ Phụ nữ và Trẻ em", OrganisationType.NATIONAL_NGO), ("(mẫu) Trung tâm Phát triển Cộng đồng", OrganisationType.NATIONAL_NGO)],
    Sector.ACADEMIA: [("(mẫu) Viện Nghiên cứu Giới và Gia đình", OrganisationType.ACADEMIC), ("(mẫu) Trường Đại học Khoa học Xã hội", OrganisationType.ACADEMIC)],
    Sector.MEDIA: [("(mẫu) Báo Phụ nữ", OrganisationType.OTHER), ("(mẫu) Đài Phát thanh khu vực", OrganisationType.OTHER)],
    Sector.PRIVATE_SECTOR: [("(mẫu) Công ty Cổ phần Dịch vụ", OrganisationType.PRIVATE_SECTOR), ("(mẫu) Hiệp hội Nữ doanh nhân", OrganisationType.PRIVATE_SECTOR)],
}
STAFF_SECTORS = {OrganisationType.MULTILATERAL: Sector.UN_DIPLOMATIC, OrganisationType.GOVERNMENT: Sector.GOVERNMENT, OrganisationType.OTHER_PUBLIC: Sector.WOMENS_MACHINERY}
POSITIONS = ["(mẫu) Chuyên viên", "(mẫu) Chuyên viên chính", "(mẫu) Phó Trưởng phòng", "(mẫu) Trưởng phòng", "(mẫu) Cán bộ dự án"]
# fmt: on
INDICATOR_CODE = "1.2.I2"


@transaction.atomic
def load(plan: Plan) -> None:
    organiser = get_user_model().objects.get(username="organiser")
    rng = random.Random(2024)
    machinery: list[Person] = []  # women's machinery at the 2024 events: some came to both, counted once
    indicator_rule(plan)
    correct_event_data()
    for spec in EVENTS:
        if Event.objects.filter(code=spec["code"]).exists():
            continue
        event = create_event(spec, plan, organiser)
        returning = machinery[: len(machinery) // 2] if event.start_date.year == 2024 else []
        participants(event, spec, rng, organiser, returning)
        if event.start_date.year == 2024:
            machinery += [p.person for p in event.participations.filter(sector=Sector.WOMENS_MACHINERY).select_related("person") if p.person not in returning]
    services.indicators_recompute()


OLD_ACTIVITY_LINKS = {"launch-da-nang-2024-08": ({"4.2.1", "4.2.2"}, {"4.2.1"}), "technical-exchange-ha-noi-2024-11": ({"2.2.1", "4.2.2"}, {"4.2.2"})}


def correct_event_data(apps=None, *, flag_real_events: bool = False) -> int:
    """Correct events loaded by earlier versions, only where they still hold the old value.

    Events from 2025 held in Huế move from the province of Thừa Thiên Huế (until 31/12/2024) to the
    city of Huế; the real events lose the sample activities whose dates did not fit. With
    `flag_real_events` (the data migration, once) the real events are marked as having synthetic
    participants, and the Hà Nội event's organisers as unconfirmed. Returns how many rows changed.
    """
    from django.apps import apps as django_apps

    get = (apps or django_apps).get_model
    Event_, Participation_, Province_, Activity_ = (
        get("events", "Event"),
        get("events", "Participation"),
        get("planning", "Province"),
        get("planning", "Activity"),
    )
    changed = 0
    city = Province_.objects.filter(code="46", valid_from=datetime.date(2025, 1, 1)).first()
    province = Province_.objects.filter(code="46", valid_from=None, valid_to=datetime.date(2024, 12, 31)).first()
    if city is not None and province is not None:
        changed += Event_.objects.filter(province=province, start_date__gte=city.valid_from).update(province=city)
        changed += Participation_.objects.filter(province=province, event__start_date__gte=city.valid_from).update(province=city)
    for code, (old, new) in OLD_ACTIVITY_LINKS.items():
        event = Event_.objects.filter(code=code, is_sample=False).first()
        if event is not None and set(event.activities.values_list("code", flat=True)) == old:
            event.activities.set(Activity_.objects.filter(code__in=new, plan__in=event.activities.values("plan")))
            changed += 1
    if flag_real_events:
        for spec in EVENTS:
            real = Event_.objects.filter(code=spec["code"], is_sample=spec["is_sample"])
            if not Participation_.objects.filter(event__in=real, person__is_sample=False).exists():
                changed += real.filter(synthetic_participants=False).update(synthetic_participants=spec.get("synthetic_participants", False))
            if spec.get("organisers_unconfirmed"):
                changed += real.update(organisers_unconfirmed=True)
    return changed


def create_event(spec: dict, plan: Plan, organiser) -> Event:
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=spec["organisers"] + spec["co_organisers"])}
    fields = {
        k: v for k, v in spec.items() if k not in ("organisers", "co_organisers", "activities", "participants", "staff", "profiles", "sessions", "province")
    }
    event = services.event_create(
        user=organiser,
        organisers=[orgs[c] for c in spec["organisers"]],
        co_organisers=[orgs[c] for c in spec["co_organisers"]],
        activities=Activity.objects.filter(plan=plan, code__in=spec["activities"]),
        province=Province.objects.get_by_natural_key(*spec["province"]),
        certificate_min_days=(spec["end_date"] - spec["start_date"]).days + 1,
        **fields,
    )
    times = [(datetime.time(8, 30), datetime.time(10, 0)), (datetime.time(10, 15), datetime.time(11, 45)), (datetime.time(13, 30), datetime.time(15, 0))]
    for index, (title_vi, title_en) in enumerate(spec["sessions"]):
        day = event.days[min(index // len(times), event.day_count - 1)]
        start, end = times[index % len(times)]
        Session.objects.create(
            event=event, day=day, start_time=start, end_time=end, title_vi=f"{title_vi} (mẫu)", title_en=f"{title_en} (sample)",
            speakers="(mẫu) Bộ Ngoại giao, UN Women" if index == 0 else "",
            facilitators="" if index == 0 else "(mẫu) Bộ Ngoại giao",
        )  # fmt: skip
    return event


def participants(event: Event, spec: dict, rng: random.Random, user, returning: list[Person]) -> list[Person]:
    """Synthetic people whose profiles fit the event: its staff first (organisers, facilitators,
    speakers), then participants drawn from the event's audience. Each has an organisation and its
    type. Past events get attendance, tests and feedback."""
    provinces = list(Province.objects.valid_on(event.start_date))
    capital = Province.objects.valid_on(event.start_date).get(code="01")
    sources = organisation_sources(event)
    past = event.end_date < timezone.localdate()
    created = []
    staff = [(role, Organisation.objects.get(code=code)) for role, code, count in spec["staff"] for _n in range(count)]
    weights = [weight for weight, _sector, _source in spec["profiles"]]
    for number in range(spec["participants"]):
        if number < len(staff):
            role, organisation = staff[number]
            sector, organisation_name, organisation_type = STAFF_SECTORS.get(organisation.type, Sector.GOVERNMENT), "", organisation.type
            province = capital if organisation.level != "provincial" else organisation.province
        else:
            role = Role.PARTICIPANT
            comes_back = len(staff) <= number < len(staff) + len(returning)
            _weight, sector, source = (None, Sector.WOMENS_MACHINERY, "vwu") if comes_back else rng.choices(spec["profiles"], weights)[0]
            organisation, organisation_name, organisation_type, province = pick_organisation(sources, source, sector, rng, provinces, capital)
        if len(staff) <= number < len(staff) + len(returning):
            person, person_fields = returning[number - len(staff)], None
        else:
            sex = Sex.FEMALE if rng.random() < 0.62 else Sex.MALE
            person, person_fields = None, {
                "full_name": f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}", "sex": sex,
                "age_band": rng.choice(AgeBand.values), "is_sample": True,
                "email": f"mau.{event.pk}.{number}@example.org", "phone": f"09{rng.randrange(10**7, 10**8)}",
            }  # fmt: skip
        participation = services.participant_register(
            event=event, user=user, person=person, person_fields=person_fields, sector=sector, role=role,
            organisation=organisation, organisation_name=organisation_name, organisation_type=organisation_type,
            province=province, position=rng.choice(POSITIONS), consent_data=True, consent_photos=rng.random() < 0.8,
            status=RegistrationStatus.CONFIRMED if past else RegistrationStatus.REGISTERED,
        )  # fmt: skip
        if person is None:
            created.append(participation.person)
        if not past:
            continue
        days = [day for day in event.days if rng.random() < 0.9]
        Attendance.objects.bulk_create(Attendance(participation=participation, day=day, checked_in_by=user) for day in days)
        if role == Role.PARTICIPANT and rng.random() < 0.75:
            pre = Decimal(rng.randrange(30, 75))
            services.scores_record(
                participation=participation, user=user, pre_test_score=pre, post_test_score=min(Decimal(100), pre + Decimal(rng.randrange(-5, 30)))
            )
        if rng.random() < 0.6:
            services.feedback_record(event=event, user=user, satisfaction=rng.choice([3, 4, 4, 5, 5]), relevance=rng.choice([3, 4, 5, 5]))
    return created


def organisation_sources(event: Event) -> dict[str, list[Organisation]]:
    """The reference organisations people came from, as they were on the event's first day."""
    active = Organisation.objects.active_on(event.start_date).select_related("province")
    return {
        "ministries": list(active.filter(level="central", type=OrganisationType.GOVERNMENT, parent__isnull=True)),
        "provinces": list(active.filter(level="provincial", province__isnull=False)),
        "vwu": list(active.filter(code="vwu")),
    }


def pick_organisation(sources, source, sector, rng, provinces, capital):
    """(organisation, name as written, IATI type, province) of one synthetic participant."""
    if source == "samples":
        name, type_ = rng.choice(SAMPLE_ORGANISATIONS[sector])
        return None, name, type_, capital if rng.random() < 0.7 else rng.choice(provinces)
    organisation = rng.choice(sources[source])
    province = organisation.province if organisation.province_id else (capital if source == "ministries" else rng.choice(provinces))
    return organisation, "", organisation.type, province


def indicator_rule(plan: Plan) -> None:
    """A sample output indicator whose actual is counted from attendance: people trained, by sex."""
    if Indicator.objects.filter(plan=plan, code=INDICATOR_CODE).exists():
        return
    indicator = planning_services.indicator_create(
        code=INDICATOR_CODE, level=ResultLevel.OUTPUT, output=Output.objects.get(plan=plan, code="1.2"), order=50, is_sample=True,
        title_vi=SAMPLE_VI + "Số người được tập huấn về PN, HB&AN và Chương trình hành động quốc gia",
        title_en=SAMPLE_EN + "Number of people trained on WPS and the NAP",
        definition_vi="Số người (mỗi người tính một lần) tham dự ít nhất một ngày các hội thảo, tập huấn, lễ công bố; tính tự động từ điểm danh.",
        definition_en="People (each counted once) present on at least one day of workshops, trainings and launches; computed from attendance.",
        unit_vi="người", unit_en="people", responsible_agency=Organisation.objects.get(code="mofa"),
        means_of_verification_vi="Danh sách điểm danh trên cổng thông tin", means_of_verification_en="Attendance records in the portal",
        disaggregations=Disaggregation.objects.filter(code__in=["sex", "sector"]),
    )  # fmt: skip
    for delivery_plan, target in zip(plan.delivery_plans.order_by("year"), (150, 300), strict=False):
        planning_services.indicator_period_set(
            indicator=indicator, period=reporting.annual_period(plan=plan, year=delivery_plan.year), target_value=Decimal(target)
        )
    IndicatorRule.objects.create(indicator=indicator, event_types=[EventType.WORKSHOP, EventType.TRAINING, EventType.LAUNCH], min_days=1)
