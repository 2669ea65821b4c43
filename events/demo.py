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
from planning.models import Activity, Disaggregation, Indicator, Organisation, Output, Plan, Province, ResultLevel

from . import services
from .models import (
    AgeBand,
    Attendance,
    Event,
    EventType,
    Feedback,
    IndicatorRule,
    Modality,
    Participation,
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
        "code": "launch-da-nang-2024-08", "type": EventType.LAUNCH, "is_sample": False,
        "title_vi": "Công bố Chương trình hành động quốc gia về Phụ nữ, hòa bình và an ninh và Hội thảo về phương pháp xây dựng Kế hoạch triển khai",
        "title_en": "Launch of the NAP on Women, Peace and Security and workshop on the method for building its Delivery Plan",
        "description_vi": "Công bố Chương trình và hội thảo về khung logic của kế hoạch hành động quốc gia các nước, chỉ số, dự toán ngân sách và huy động nguồn lực, xây dựng dự thảo khung logic ban đầu.",
        "description_en": "Launch of the NAP and workshop on the logical frameworks of other countries' NAPs, indicators, budgeting and resource mobilisation, and drafting a preliminary logframe.",
        "objectives_vi": "Công bố Chương trình hành động quốc gia; giới thiệu phương pháp xây dựng Kế hoạch triển khai (khung logic của kế hoạch hành động quốc gia các nước, chỉ số, dự toán ngân sách và huy động nguồn lực); xây dựng dự thảo khung logic ban đầu.",
        "objectives_en": "Launch the NAP; introduce the method for building its Delivery Plan (other countries' NAP logical frameworks, indicators, budgeting and resource mobilisation); draft a preliminary logframe.",
        "start_date": datetime.date(2024, 8, 8), "end_date": datetime.date(2024, 8, 9),
        "venue_vi": "Đà Nẵng", "venue_en": "Da Nang", "province": ("48", None), "modality": Modality.IN_PERSON,
        "organisers": ["mofa"], "co_organisers": ["un-women"], "audience": [Sector.GOVERNMENT],
        "activities": ["4.2.1", "4.2.2"], "participants": 120, "sectors": {Sector.GOVERNMENT: 0.9, Sector.WOMENS_MACHINERY: 0.1},
        "sessions": [
            ("Công bố Chương trình hành động quốc gia", "Launch of the National Action Plan"),
            ("Khung logic trong kế hoạch hành động quốc gia của các nước", "Logical frameworks in other countries' NAPs"),
            ("Chỉ số và theo dõi, đánh giá", "Indicators, monitoring and evaluation"),
            ("Dự toán ngân sách và huy động nguồn lực", "Budgeting and resource mobilisation"),
            ("Thực hành: dự thảo khung logic ban đầu", "Practice: drafting a preliminary logframe"),
        ],
    },
    {
        "code": "technical-exchange-ha-noi-2024-11", "type": EventType.WORKSHOP, "is_sample": False,
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
        "activities": ["2.2.1", "4.2.2"], "participants": 60,
        "sectors": {Sector.SOCIAL_ORGANISATION: 0.3, Sector.WOMENS_MACHINERY: 0.2, Sector.INGO: 0.15, Sector.NGO: 0.15, Sector.ACADEMIA: 0.1, Sector.MEDIA: 0.1},
        "sessions": [
            ("An ninh phi truyền thống và Chương trình nghị sự PN, HB&AN", "Non-traditional security and the WPS agenda"),
            ("Chương trình hành động quốc gia giai đoạn 2024–2030", "The NAP 2024–2030"),
            ("Vai trò vận động chính sách của các tổ chức xã hội", "Social actors' role in advocacy"),
            ("Vai trò triển khai của các tổ chức xã hội", "Social actors' role in implementation"),
        ],
    },
    {
        "code": "sample-training-da-nang-2026-12", "type": EventType.TRAINING, "is_sample": True,
        "title_vi": SAMPLE_VI + "Tập huấn kỹ năng lãnh đạo cho cán bộ nữ cấp tỉnh",
        "title_en": SAMPLE_EN + "Leadership training for women officials at provincial level",
        "description_vi": SAMPLE_NOTE_VI, "description_en": SAMPLE_NOTE_EN,
        "start_date": datetime.date(2026, 12, 8), "end_date": datetime.date(2026, 12, 9),
        "venue_vi": "Đà Nẵng", "venue_en": "Da Nang", "province": ("48", "2025-07-01"), "modality": Modality.HYBRID,
        "organisers": ["moha"], "co_organisers": ["vwu"], "audience": [Sector.GOVERNMENT, Sector.WOMENS_MACHINERY],
        "activities": ["1.2.4"], "participants": 25, "sectors": {Sector.GOVERNMENT: 0.7, Sector.WOMENS_MACHINERY: 0.3},
        "sessions": [("Kỹ năng lãnh đạo", "Leadership skills"), ("Lồng ghép giới trong hoạch định chính sách", "Gender mainstreaming in policy-making")],
    },
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = {Sex.FEMALE: ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng"], Sex.MALE: ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành"]}
GIVEN = {
    Sex.FEMALE: ["Hà", "Lan", "Hương", "Mai", "Linh", "Trang", "Thảo", "Hằng", "Nga", "Yến", "Phương", "Huyền", "Oanh", "Ước"],
    Sex.MALE: ["Hùng", "Dũng", "Nam", "Tuấn", "Long", "Sơn", "Hải", "Quang", "Thắng", "Phúc", "Khoa", "Bình"],
}
# fmt: on
INDICATOR_CODE = "1.2.I2"


@transaction.atomic
def load(plan: Plan) -> None:
    organiser = get_user_model().objects.get(username="organiser")
    coordinator = get_user_model().objects.get(username="coordinator")
    rng = random.Random(2024)
    people: list[Person] = []
    indicator_rule(plan)
    for spec in EVENTS:
        if Event.objects.filter(code=spec["code"]).exists():
            continue
        event = create_event(spec, plan, organiser)
        returning = people[: len(people) // 10]  # some people came to both 2024 events: counted once
        people = people + participants(event, spec, rng, coordinator, returning)
    services.indicators_recompute()


def create_event(spec: dict, plan: Plan, organiser) -> Event:
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=spec["organisers"] + spec["co_organisers"])}
    fields = {k: v for k, v in spec.items() if k not in ("organisers", "co_organisers", "activities", "participants", "sectors", "sessions", "province")}
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
    """Synthetic people in realistic proportions; past events get attendance, tests and feedback."""
    provinces = list(Province.objects.valid_on(event.start_date))
    sectors = list(spec["sectors"])
    weights = list(spec["sectors"].values())
    past = event.end_date < timezone.localdate()
    created = []
    for number in range(spec["participants"]):
        if number < len(returning) and event.start_date.year == 2024:
            person = returning[number]
        else:
            sex = Sex.FEMALE if rng.random() < 0.62 else Sex.MALE
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
            person = Person.objects.create(
                full_name=name, sex=sex, age_band=rng.choice(AgeBand.values), is_sample=True,
                email=f"mau.{event.pk}.{number}@example.org", phone=f"09{rng.randrange(10**7, 10**8)}",
            )  # fmt: skip
            created.append(person)
        role = Role.SPEAKER if number < 3 else (Role.ORGANISER if number < 5 else Role.PARTICIPANT)
        participation = Participation.objects.create(
            event=event, person=person, sector=rng.choices(sectors, weights)[0], role=role,
            organisation_name="(mẫu) Sở Ngoại vụ" if rng.random() < 0.5 else "(mẫu) Hội Liên hiệp Phụ nữ tỉnh",
            province=rng.choice(provinces), position="(mẫu) Chuyên viên", consent_data=True, consent_photos=rng.random() < 0.8,
            status=RegistrationStatus.CONFIRMED if past else RegistrationStatus.REGISTERED,
        )  # fmt: skip
        if not past:
            continue
        days = [day for day in event.days if rng.random() < 0.9]
        Attendance.objects.bulk_create(Attendance(participation=participation, day=day, checked_in_by=user) for day in days)
        if role == Role.PARTICIPANT and rng.random() < 0.75:
            pre = Decimal(rng.randrange(30, 75))
            participation.pre_test_score = pre
            participation.post_test_score = min(Decimal(100), pre + Decimal(rng.randrange(-5, 30)))
            participation.save(update_fields=["pre_test_score", "post_test_score"])
        if rng.random() < 0.6:
            Feedback.objects.create(event=event, satisfaction=rng.choice([3, 4, 4, 5, 5]), relevance=rng.choice([3, 4, 5, 5]))
    return created


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
        planning_services.indicator_period_set(indicator=indicator, delivery_plan=delivery_plan, target_value=Decimal(target))
    IndicatorRule.objects.create(indicator=indicator, event_types=[EventType.WORKSHOP, EventType.TRAINING, EventType.LAUNCH], min_days=1)
