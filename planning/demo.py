"""The reference data and a SAMPLE delivery plan for 2024 and 2025, with the demo accounts.

`load()` is idempotent: run it again and nothing is duplicated. Everything it adds beyond the
reference fixtures is sample content, flagged `is_sample` and titled "[Mẫu]" / "[Sample]": none of
it is a fact about the real plan. `manage.py load_demo_data` (in the events app, which adds the
events on top) calls it.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.db import transaction
from django.utils.translation import gettext_noop

from napwps import history
from planning import roles, services
from planning.models import (
    DISBURSED_STATUSES,
    SECURED_STATUSES,
    Activity,
    ActivityProgress,
    ActivityStatus,
    BudgetExecution,
    DeliveryPlan,
    Disaggregation,
    FrameworkReference,
    FundingSource,
    FundingStatus,
    Indicator,
    MeansOfImplementation,
    Membership,
    Objective,
    Organisation,
    Output,
    PeriodKind,
    Plan,
    ProgressReport,
    Province,
    ReportingPeriod,
    ReportStatus,
    ReviewStatus,
    Sector,
    SubTask,
    TaskGroup,
)
from planning.services import reporting

REFERENCE_FIXTURES = ["vocabularies", "provinces", "organisations", "nap"]
PLAN = "nap-wps-2024-2030"
DEMO_PASSWORD = "demo-password"
DEMO_USERS = [
    # username, group, agency, first name, last name
    ("coordinator", roles.COORDINATORS, "mofa", "Điều phối viên", "(demo)"),
    ("focal.mps", roles.FOCAL_POINTS, "mps", "Đầu mối Bộ Công an", "(demo)"),
    ("organiser", roles.ORGANISERS, "mofa", "Người tổ chức sự kiện", "(demo)"),
]
SAMPLE_VI, SAMPLE_EN = "[Mẫu] ", "[Sample] "
SAMPLE_NOTE_VI = "Nội dung mẫu để trình diễn cổng thông tin; không phải số liệu thật của Chương trình."
SAMPLE_NOTE_EN = "Sample content to demonstrate the portal; not real data of the Programme."
SAMPLE_SOURCE = ("Số liệu mẫu, không phải số liệu thật", "Sample figure, not real data")

# fmt: off
OUTPUTS = [
    ("1.1", "1", "Chính sách, chỉ tiêu về phụ nữ tham gia lãnh đạo trong lĩnh vực hòa bình, an ninh được rà soát", "Policies and targets for women in leadership in peace and security reviewed"),
    ("1.2", "1", "Năng lực của phụ nữ tham gia gìn giữ hòa bình Liên hợp quốc được nâng cao", "Capacity of women to take part in UN peacekeeping strengthened"),
    ("2.1", "2", "Mô hình phòng ngừa, ứng phó bạo lực trên cơ sở giới trong sự cố, thảm họa được xây dựng", "Models to prevent and respond to gender-based violence in incidents and disasters developed"),
    ("2.2", "2", "Nhận thức về bạo lực trên cơ sở giới, kể cả trên không gian mạng, được nâng cao", "Awareness of gender-based violence, including in cyberspace, raised"),
    ("3.1", "3", "Giới được lồng ghép trong kế hoạch cứu trợ và phục hồi sau thảm họa", "Gender mainstreamed in disaster relief and recovery plans"),
    ("3.2", "3", "Vai trò của phụ nữ trong khắc phục hậu quả chiến tranh được phát huy", "Women's role in remediating war consequences strengthened"),
    ("4.1", "4", "Sáng kiến của Việt Nam về Phụ nữ, hòa bình và an ninh tại ASEAN và Liên hợp quốc được thúc đẩy", "Viet Nam's WPS initiatives in ASEAN and the UN advanced"),
    ("4.2", "4", "Nguồn lực quốc tế hỗ trợ triển khai Chương trình được huy động", "International support for implementing the Programme mobilised"),
]

# code, task group[.letter], lead, partners, supporters, provinces (code@from), means, start, end, status, progress, title vi, title en
NS, OT, AR, OF, DONE = ActivityStatus.NOT_STARTED, ActivityStatus.ON_TRACK, ActivityStatus.AT_RISK, ActivityStatus.OFF_TRACK, ActivityStatus.COMPLETED
ACTIVITIES = [
    ("1.1.1", "1.a", "moha", [], [], [], ["policy-review"], "2024-03", "2024-12", DONE, 100, "Rà soát chỉ tiêu bình đẳng giới trong tuyển dụng, quy hoạch, bổ nhiệm", "Review gender-equality targets in recruitment, succession planning and appointment"),
    ("1.1.2", "1.b", "mps", ["moha"], [], [], ["policy-review"], "2024-06", "2025-06", OT, 60, "Rà soát chế độ, chính sách đối với phụ nữ trong Công an nhân dân", "Review policies for women in the People's Public Security"),
    ("1.1.3", "1.b", "mod", [], [], [], ["policy-review"], "2024-06", "2025-12", AR, 30, "Rà soát chế độ, chính sách đối với phụ nữ trong Quân đội nhân dân", "Review policies for women in the People's Army"),
    ("1.1.4", "1.a", "moha", ["vwu"], ["un-women"], [], ["workshop", "consultation"], "2025-03", "2025-05", NS, 0, "Hội thảo tham vấn về phụ nữ tham gia lãnh đạo, quản lý", "Consultation workshop on women in leadership and management"),
    ("1.2.1", "3", "mod-vnpko", [], ["un-women", "australia"], [], ["training"], "2024-04", "2024-11", DONE, 100, "Tập huấn cho nữ sĩ quan chuẩn bị tham gia gìn giữ hòa bình", "Training for women officers preparing for UN peacekeeping"),
    ("1.2.2", "3", "mps", [], ["united-kingdom"], [], ["training"], "2025-01", "2025-10", OT, 50, "Bồi dưỡng tiếng Anh và kỹ năng nhiệm vụ cho nữ cán bộ công an", "English and mission-readiness training for women police officers"),
    ("1.2.3", "3", "mod", ["mocst"], [], [], ["communication"], "2024-10", "2025-12", OT, 40, "Truyền thông về nữ quân nhân gìn giữ hòa bình", "Communication on women peacekeepers"),
    ("1.2.4", "3", "moha", ["vwu"], [], ["48@2025-07-01"], ["training"], "2025-04", "2025-09", NS, 0, "Tập huấn kỹ năng lãnh đạo cho cán bộ nữ cấp tỉnh", "Leadership training for women officials at provincial level"),
    ("2.1.1", "1.c", "moh", ["moha"], [], [], ["research"], "2025-01", "2025-12", OT, 45, "Đánh giá Chương trình phòng ngừa và ứng phó với bạo lực trên cơ sở giới giai đoạn 2021–2025", "Evaluate the Programme on gender-based violence prevention and response 2021–2025"),
    ("2.1.2", "2", "vwu", ["moh"], ["un-women", "korea"], ["44@2025-07-01"], ["model"], "2024-07", "2025-12", AR, 35, "Thí điểm mô hình ứng phó bạo lực trên cơ sở giới ở xã chịu ảnh hưởng thiên tai", "Pilot a gender-based violence response model in disaster-affected communes"),
    ("2.1.3", "2", "moh", [], [], ["15@2025-07-01"], ["training"], "2025-02", "2025-11", OF, 10, "Tập huấn cán bộ xã về ứng phó bạo lực trên cơ sở giới trong tình huống khẩn cấp", "Train commune officials on responding to gender-based violence in emergencies"),
    ("2.1.4", "2", "mps", ["moh"], [], [], ["policy-review"], "2024-09", "2025-06", OT, 70, "Cập nhật hướng dẫn tiếp nhận, chuyển tuyến nạn nhân bạo lực", "Update guidance on receiving and referring survivors of violence"),
    ("2.1.5", "2", "moh", ["vwu"], ["un-women"], [], ["model"], "2025-03", "2025-12", NS, 0, "Hỗ trợ tâm lý – xã hội tại các cơ sở hỗ trợ nạn nhân", "Psychosocial support at services for survivors"),
    ("2.2.1", "2", "mocst", ["vwu"], [], [], ["communication"], "2024-11", "2025-12", OT, 55, "Chiến dịch truyền thông phòng chống bạo lực trên cơ sở giới trên không gian mạng", "Communication campaign against gender-based violence in cyberspace"),
    ("2.2.2", "2", "moet", [], [], [], ["training"], "2025-01", "2025-12", NS, 0, "Giáo dục kỹ năng sống, an toàn trên mạng cho trẻ em gái trong trường học", "Life skills and online safety for girls in schools"),
    ("2.2.3", "2", "mocst", [], ["canada"], [], ["training"], "2024-08", "2024-12", DONE, 100, "Tập huấn cho phóng viên về đưa tin bạo lực trên cơ sở giới", "Training for journalists on reporting gender-based violence"),
    ("3.1.1", "1", "mae", ["moha"], [], [], ["policy-review"], "2025-03", "2025-12", OT, 30, "Hướng dẫn lồng ghép giới trong kế hoạch ứng phó thiên tai", "Guidance on gender mainstreaming in disaster response plans"),
    ("3.1.2", "1", "vwu", [], ["un-women"], [], ["research"], "2024-05", "2024-12", DONE, 100, "Tổng hợp thực tiễn tốt về phụ nữ tham gia cứu trợ và phục hồi", "Document good practices of women's participation in relief and recovery"),
    ("3.1.3", "1", "ppc-68", ["vwu"], [], ["68@2025-07-01"], ["model"], "2025-07", "2025-12", OT, 20, "Hỗ trợ sinh kế cho phụ nữ trong phục hồi sau thiên tai", "Livelihood support for women in post-disaster recovery"),
    ("3.1.4", "1", "mae", [], [], [], ["research"], "2025-04", "2025-12", AR, 25, "Số liệu phân tách theo giới trong đánh giá thiệt hại và nhu cầu", "Sex-disaggregated data in damage and needs assessments"),
    ("3.2.1", "1", "mod", [], [], [], ["research"], "2024-09", "2025-09", OT, 60, "Phân tích giới trong các chương trình khắc phục hậu quả chiến tranh", "Gender analysis of war-consequence remediation programmes"),
    ("3.2.2", "2", "ppc-44", ["vwu"], ["korea"], ["44@2025-07-01"], ["model"], "2025-07", "2026-06", NS, 0, "Hỗ trợ phụ nữ bị ảnh hưởng bởi bom mìn, vật nổ sau chiến tranh", "Support for women affected by explosive remnants of war"),
    ("3.2.3", "1", "mae", [], [], [], ["training"], "2025-04", "2025-10", AR, 20, "Tập huấn phụ nữ về quản lý rủi ro thiên tai dựa vào cộng đồng", "Training women in community-based disaster risk management"),
    ("4.1.1", "4", "mofa", ["mod", "mps"], ["un-women", "canada"], [], ["international-event"], "2024-10", "2024-12", DONE, 100, "Tổ chức đối thoại khu vực về Phụ nữ, hòa bình và an ninh", "Host a regional dialogue on Women, Peace and Security"),
    ("4.1.2", "4", "mofa-dio", [], [], [], ["research"], "2025-01", "2025-12", OT, 50, "Đóng góp báo cáo thực hiện Kế hoạch hành động khu vực ASEAN về PN, HB&AN", "Contribute to reports on the ASEAN Regional Plan of Action on WPS"),
    ("4.1.3", "4", "mod-vnpko", ["mofa"], [], [], ["international-event"], "2025-05", "2025-11", OT, 40, "Chia sẻ kinh nghiệm về nữ quân nhân gìn giữ hòa bình tại diễn đàn Liên hợp quốc", "Share Viet Nam's experience of women peacekeepers at UN forums"),
    ("4.2.1", "5", "mofa", ["mof"], ["un-women"], [], ["research", "workshop"], "2024-07", "2024-12", DONE, 100, "Xây dựng Kế hoạch triển khai năm 2024 và kế hoạch huy động nguồn lực cho Chương trình", "Build the 2024 Delivery Plan and a resource mobilisation plan for the Programme"),
    ("4.2.2", "5", "mofa", [], ["un-women", "canada", "united-kingdom", "australia", "korea"], [], ["consultation"], "2024-11", "2024-12", DONE, 100, "Họp điều phối thường niên với các đối tác", "Annual coordination meeting with partners"),
    ("4.2.3", "5", "mofa", ["mof"], [], [], ["research"], "2025-06", "2025-12", OT, 35, "Rà soát các nhà tài trợ và khoảng trống tài chính", "Donor mapping and funding-gap review"),
    ("4.2.4", "5", "mofa", ["mps"], [], [], ["international-event"], "2025-09", "2026-03", NS, 0, "Trao đổi đoàn với các nước đối tác về triển khai Chương trình", "Exchange visits with partner countries on implementing the Programme"),
]
# A sample DAC sector per output (planning.Sector, seeded by the migration); outputs 3.1 are left without one.
SAMPLE_SECTORS = {"1.1": "15170", "1.2": "15230", "2.1": "15180", "2.2": "15180", "3.2": "15220", "4.1": "15220", "4.2": "15170"}
JUSTIFICATIONS = {
    AR: ("Chậm tiến độ do chờ hướng dẫn sau sắp xếp bộ máy năm 2025.", "Delayed while awaiting guidance after the 2025 restructuring."),
    OF: ("Chưa bố trí được kinh phí; cần huy động thêm nguồn lực.", "No funding allocated yet; more resources need to be mobilised."),
}

# code, level, attached to (code), title vi, title en, measure, unit vi/en, responsible, disaggregations, references,
# baseline (year, value[, source vi, source en]: without a source it is a sample figure), periods {year: (target, actual)}
INDICATORS = [
    ("G.1", "plan", None, "Tỷ lệ cơ quan quản lý nhà nước, chính quyền địa phương các cấp có lãnh đạo chủ chốt là nữ", "Share of state management agencies and local authorities with women in key leadership", "percentage", ("%", "%"), "moha", [], [("ge_strategy", "women-leaders")], None, {2025: ((60, 100), (52, 100))}),
    ("1.I1", "objective", "1", "Tỷ lệ nữ trong lực lượng gìn giữ hòa bình của Việt Nam", "Share of women among Viet Nam's peacekeepers", "percentage", ("%", "%"), "mod", ["sex"], [("unscr1325", "participation")], (2023, Decimal(16), "Báo Hanoi Times, 11/2023", "Hanoi Times, November 2023"), {2024: ((17, 100), (16, 100)), 2025: ((18, 100), None)}),
    ("2.I1", "objective", "2", "Số tỉnh áp dụng mô hình ứng phó bạo lực trên cơ sở giới trong sự cố, thảm họa", "Number of provinces applying a gender-based violence response model in incidents and disasters", "number", ("tỉnh", "provinces"), "moh", ["province"], [("asean_rpa", "protection")], (2023, 0), {2024: (2, 1), 2025: (5, 3)}),
    ("3.I1", "objective", "3", "Số kế hoạch ứng phó thiên tai có phân tích giới", "Number of disaster response plans with a gender analysis", "number", ("kế hoạch", "plans"), "mae", [], [("asean_rpa", "relief-recovery")], (2023, 0), {2025: (4, 1)}),
    ("4.I1", "objective", "4", "Số sáng kiến về PN, HB&AN do Việt Nam đề xuất hoặc đồng bảo trợ", "Number of WPS initiatives Viet Nam proposed or co-sponsored", "number", ("sáng kiến", "initiatives"), "mofa", [], [("sdg", "16")], (2023, 1), {2024: (1, 1), 2025: (2, 1)}),
    ("1.1.I1", "output", "1.1", "Số văn bản quy phạm pháp luật được rà soát về bình đẳng giới", "Number of legal documents reviewed for gender equality", "number", ("văn bản", "documents"), "moha", [], [("sdg", "5.5")], (2023, 3), {2024: (5, 6), 2025: (8, None)}),
    ("1.2.I1", "output", "1.2", "Số người được tập huấn về PN, HB&AN và gìn giữ hòa bình", "Number of people trained on WPS and peacekeeping", "number", ("người", "people"), "mod", ["sex"], [("unscr1325", "participation")], (2023, 45), {2024: (60, 72), 2025: (80, 35)}),
    ("2.1.I1", "output", "2.1", "Tỷ lệ cán bộ xã được tập huấn nêu đúng các bước chuyển tuyến", "Share of trained commune officials who can state the referral steps", "percentage", ("%", "%"), "moh", ["sex"], [], (2024, 20), {2025: ((70, 100), (18, 40))}),
    ("2.2.I1", "output", "2.2", "Số người được tiếp cận thông điệp phòng chống bạo lực trên cơ sở giới", "Number of people reached by messages against gender-based violence", "number", ("người", "people"), "mocst", ["sex", "age-band"], [], (2023, 5000), {2024: (10000, 12500), 2025: (50000, 21000)}),
    ("3.1.I1", "output", "3.1", "Số hướng dẫn lồng ghép giới trong cứu trợ được ban hành", "Number of guidance documents on gender in relief issued", "number", ("văn bản", "documents"), "mae", [], [], (2023, 0), {2025: (1, 0)}),
    ("3.2.I1", "output", "3.2", "Số phụ nữ được hỗ trợ tại địa bàn khắc phục hậu quả chiến tranh", "Number of women supported in war-consequence remediation areas", "number", ("người", "people"), "mod", ["age-band", "disability"], [("unscr1325", "relief-recovery")], (2023, 120), {2025: (200, None)}),
    ("4.1.I1", "output", "4.1", "Số sự kiện quốc tế về PN, HB&AN Việt Nam chủ trì hoặc đồng chủ trì", "Number of international WPS events Viet Nam hosted or co-hosted", "number", ("sự kiện", "events"), "mofa", [], [("asean_rpa", "participation")], (2023, 1), {2024: (1, 1), 2025: (2, 1)}),
    ("4.2.I1", "output", "4.2", "Số đối tác quốc tế cam kết hỗ trợ Chương trình", "Number of international partners committed to support the Programme", "number", ("đối tác", "partners"), "mofa", ["organisation-type"], [], (2023, 2), {2024: (3, 4), 2025: (5, 4)}),
    ("1.1.2.I1", "activity", "1.1.2", "Báo cáo rà soát chính sách đối với phụ nữ trong Công an nhân dân được hoàn thành", "Review report on policies for women in the People's Public Security completed", "qualitative", ("", ""), "mps", [], [], (2023, ("Chưa có báo cáo rà soát", "No review report yet")), {2024: ("Dự thảo đề cương", "Đã có đề cương"), 2025: ("Báo cáo hoàn chỉnh", "")}),
    ("1.2.2.I1", "activity", "1.2.2", "Số nữ cán bộ công an hoàn thành khóa bồi dưỡng", "Number of women police officers who completed the training", "number", ("người", "people"), "mps", [], [], (2024, 0), {2025: (40, 18)}),
]

# fmt: on


def month(text: str) -> datetime.date:
    year, mon = text.split("-")
    return datetime.date(int(year), int(mon), 1)


@transaction.atomic
def load_missing_reference_data(names=REFERENCE_FIXTURES) -> int:
    """Add the fixtures' rows whose natural keys are not in the database yet; return how many.

    Rows that exist are left alone, many-to-many links included: coordinators edit reference data
    in the admin (with history), and `loaddata` would silently overwrite their edits on every start.
    """
    added = 0
    for name in names:
        with open(settings.FIXTURE_DIRS[0] / f"{name}.json", encoding="utf-8") as fixture:
            deferred = []
            for row in serializers.deserialize("json", fixture, handle_forward_references=True):
                if row.object.pk is not None:  # found by its natural key
                    continue
                row.save()
                added += 1
                if row.deferred_fields:
                    deferred.append(row)
            for row in deferred:
                row.save_deferred_fields()
    return added


HUE_PROVINCE_UNTIL, HUE_CITY_FROM = datetime.date(2024, 12, 31), datetime.date(2025, 1, 1)
HCM_COMMITTEE_WRONG, HCM_COMMITTEE_RIGHT = "Ủy ban nhân dân thành phố Thành phố Hồ Chí Minh", "Ủy ban nhân dân Thành phố Hồ Chí Minh"
VWU_UNDER_VFF_FROM = datetime.date(2025, 7, 1)


def correct_reference_data(apps=None) -> int:
    """Correct the rows that earlier fixtures got wrong, in a database loaded from them.

    Each correction applies only while the row still holds exactly the old, wrong value, so a
    coordinator's own edit is never overwritten; run twice, it changes nothing. Called by the
    data migration (with the migration's `apps`) and by every load. Returns how many rows changed.
    """
    from django.apps import apps as django_apps

    get = (apps or django_apps).get_model
    Province, ProvinceSuccession, Organisation = get("planning", "Province"), get("planning", "ProvinceSuccession"), get("planning", "Organisation")
    Plan_, SubTask_, Activity_ = get("planning", "Plan"), get("planning", "SubTask"), get("planning", "Activity")
    changed = 0

    def save(row, **fields):
        nonlocal changed
        for name, value in fields.items():
            setattr(row, name, value)
        row._change_reason = history.reason(gettext_noop("Correction of the reference data"))
        row.save()
        changed += 1

    # Thừa Thiên Huế was a province until 31/12/2024, the city of Huế from 1/1/2025 (Resolution 175/2024/QH15).
    hue = Province.objects.filter(code="46", valid_from=None, valid_to=None, name_vi="Huế", kind="city").first()
    if hue is not None:
        city = Province.objects.filter(code="46", valid_from=HUE_CITY_FROM).first()
        if city is None:
            city = Province.objects.create(code="46", valid_from=HUE_CITY_FROM, name_vi="Huế", name_en="Hue", kind="city", former_name="Thừa Thiên Huế")
            changed += 1
        save(hue, name_vi="Thừa Thiên Huế", name_en="Thua Thien Hue", kind="province", valid_to=HUE_PROVINCE_UNTIL, former_name="")
        ProvinceSuccession.objects.get_or_create(predecessor=hue, successor=city, defaults={"partial": False})
        for activity in Activity_.objects.filter(provinces=hue, planned_end__gte=HUE_CITY_FROM):
            activity.provinces.add(city)
            if activity.planned_start >= HUE_CITY_FROM:
                activity.provinces.remove(hue)
    city = Province.objects.filter(code="46", valid_from=HUE_CITY_FROM).first()
    committee = Organisation.objects.filter(code="ppc-46", name_vi="Ủy ban nhân dân thành phố Huế", active_from=None, active_to=None).first()
    if committee is not None and city is not None and committee.province_id != city.pk:
        former = committee.province
        save(committee, active_from=HUE_CITY_FROM, province=city)
        if not Organisation.objects.filter(code="ppc-46-to-2024").exists():
            earlier = Organisation.objects.create(
                code="ppc-46-to-2024", name_vi="Ủy ban nhân dân tỉnh Thừa Thiên Huế", name_en="Thua Thien Hue Provincial People's Committee",
                type=committee.type, level=committee.level, province=former, active_to=HUE_PROVINCE_UNTIL,
                note_vi="Đến 31/12/2024, khi tỉnh Thừa Thiên Huế trở thành thành phố Huế trực thuộc trung ương.",
                note_en="Until 31 December 2024, when Thừa Thiên Huế province became the centrally-run city of Huế.",
            )  # fmt: skip
            earlier.successors.add(committee)
            changed += 1

    # "Ủy ban nhân dân thành phố Thành phố Hồ Chí Minh" said "city" twice.
    for committee in Organisation.objects.filter(name_vi=HCM_COMMITTEE_WRONG):
        save(committee, name_vi=HCM_COMMITTEE_RIGHT)

    # The Women's Union sits under the Fatherland Front only from 1 July 2025.
    for union in Organisation.objects.filter(code="vwu", parent__code="vff", parent_from=None, parent_to=None):
        save(union, parent_from=VWU_UNDER_VFF_FROM)

    # Vietnamese texts that are our own translations, flagged while they still read as we wrote them.
    for row in serializers_rows("nap"):
        fields = row["fields"]
        if row["model"] == "planning.plan" and fields.get("general_objective_vi_unofficial"):
            for plan in Plan_.objects.filter(code=fields["code"], general_objective_vi=fields["general_objective_vi"], general_objective_vi_unofficial=False):
                save(plan, general_objective_vi_unofficial=True)
        if row["model"] == "planning.subtask" and fields.get("title_vi_unofficial"):
            plan_code, group_code = fields["task_group"]
            for subtask in SubTask_.objects.filter(
                task_group__plan__code=plan_code, task_group__code=group_code, letter=fields["letter"], title_vi=fields["title_vi"], title_vi_unofficial=False
            ):
                save(subtask, title_vi_unofficial=True)
    return changed


def serializers_rows(name: str) -> list[dict]:
    """A fixture's rows as plain JSON (not model instances: usable with a migration's models)."""
    import json

    with open(settings.FIXTURE_DIRS[0] / f"{name}.json", encoding="utf-8") as fixture:
        return json.load(fixture)


def load() -> Plan:
    """Load the missing reference data, the sample delivery plan and the demo accounts; return the plan."""
    correct_reference_data()
    load_missing_reference_data()
    for plan in Plan.objects.all():  # every plan reports on its calendar (years and reviews), opened here rather than by a page
        reporting.reporting_calendar_ensure(plan=plan)
    with transaction.atomic():
        plan = Plan.objects.get(code=PLAN)
        builder = PlanDemo()
        builder.users()
        years = builder.delivery_plans(plan)
        builder.outputs(plan)
        builder.activities(plan, years)
        builder.indicators(plan, years)
        builder.reports(plan)
    return plan


class PlanDemo:
    def delivery_plans(self, plan):
        settings = {
            2024: {"status": ReviewStatus.PUBLISHED, "approval_number": "MẪU-01/KH (mẫu)", "approval_date": datetime.date(2024, 9, 30)},
            2025: {"status": ReviewStatus.SUBMITTED},
        }
        years = {}
        for year, fields in settings.items():
            existing = DeliveryPlan.objects.filter(plan=plan, year=year).first()
            years[year] = existing or services.delivery_plan_create(
                plan=plan, year=year, is_sample=True, note_vi=SAMPLE_NOTE_VI, note_en=SAMPLE_NOTE_EN, **fields
            )
        return years

    def outputs(self, plan):
        for code, objective, title_vi, title_en in OUTPUTS:
            if not Output.objects.filter(plan=plan, code=code).exists():
                services.output_create(
                    objective=Objective.objects.get(plan=plan, code=objective), code=code, order=int(code.split(".")[1]),
                    title_vi=SAMPLE_VI + title_vi, title_en=SAMPLE_EN + title_en, is_sample=True,
                    description_vi=SAMPLE_NOTE_VI, description_en=SAMPLE_NOTE_EN,
                )  # fmt: skip

    def activities(self, plan, years):
        orgs = {org.code: org for org in Organisation.objects.all()}
        means = {m.code: m for m in MeansOfImplementation.objects.all()}
        sectors = {sector.code: sector for sector in Sector.objects.all()}
        for index, (code, group, lead, partners, supporters, provinces, how, start, end, status, progress, title_vi, title_en) in enumerate(ACTIVITIES):
            activity = Activity.objects.filter(plan=plan, code=code).first()
            if activity is None:
                group_code, _dot, letter = group.partition(".")
                task_group = TaskGroup.objects.get(plan=plan, code=group_code)
                start_day, end_day = month(start), month(end)
                justification = JUSTIFICATIONS.get(status, ("", ""))
                activity_years = [year for year in years if start_day.year <= year <= end_day.year]
                # The partners that fund one of its budget lines (see budget()) fund it; the others support it.
                funders = {supporters[(index + year) % len(supporters)] for year in activity_years} if supporters else set()
                activity = services.activity_create(
                    output=Output.objects.get(plan=plan, code=code.rsplit(".", 1)[0]),
                    code=code, order=int(code.rsplit(".", 1)[1]), title_vi=SAMPLE_VI + title_vi, title_en=SAMPLE_EN + title_en,
                    description_vi=SAMPLE_NOTE_VI, description_en=SAMPLE_NOTE_EN, is_sample=True,
                    task_group=task_group, subtask=SubTask.objects.get(task_group=task_group, letter=letter) if letter else None,
                    lead_agency=orgs[lead], partner_agencies=[orgs[c] for c in partners], funding_partners=[orgs[c] for c in supporters if c in funders],
                    supporting_partners=[orgs[c] for c in supporters if c not in funders],
                    sector=sectors.get(SAMPLE_SECTORS.get(code.rsplit(".", 1)[0], "")),
                    provinces=[Province.objects.get_by_natural_key(*p.split("@")) for p in provinces],
                    means=[means[c] for c in how], planned_start=start_day, planned_end=end_day,
                    delivery_plans=[plan_ for year, plan_ in years.items() if start_day.year <= year <= end_day.year],
                )  # fmt: skip
                for delivery_plan in activity.delivery_plans.all():
                    # The year the activity ends carries its sample status; a year it goes on after is on track.
                    last = delivery_plan.year == end_day.year
                    year_status = status if last or status == ActivityStatus.NOT_STARTED else ActivityStatus.ON_TRACK
                    year_justification = justification if year_status == status else ("", "")
                    reporting.activity_progress_save(
                        progress=ActivityProgress(
                            activity=activity, delivery_plan=delivery_plan, status=year_status,
                            progress=progress if last else min(progress, 50) if status != ActivityStatus.NOT_STARTED else 0,
                            status_justification_vi=year_justification[0], status_justification_en=year_justification[1],
                            actual_start=start_day if year_status != ActivityStatus.NOT_STARTED else None,
                            actual_end=end_day if year_status == ActivityStatus.COMPLETED else None,
                        ),
                        user=None,
                    )  # fmt: skip
                self.budget(activity, index, years, [orgs[c] for c in supporters], status)

    def budget(self, activity, index, years, supporters, activity_status):
        """Two to four lines an activity: the state budget and, where partners support it, their share."""
        state = FundingSource.PROVINCIAL_BUDGET if activity.lead_agency.level == "provincial" else FundingSource.CENTRAL_BUDGET
        for year, delivery_plan in years.items():
            if delivery_plan not in activity.delivery_plans.all():
                continue
            past = year == 2024
            millions = 150 + (index * 37 + year) % 350
            status = FundingStatus.SPENT if past and activity_status == ActivityStatus.COMPLETED else (
                FundingStatus.COMMITTED if index % 3 else FundingStatus.ESTIMATED
            )  # fmt: skip
            line = services.budget_line_create(
                activity=activity, delivery_plan=delivery_plan, source=state, amount_vnd=Decimal(millions) * 1_000_000, status=status,
                description_vi="Chi phí tổ chức (mẫu)", description_en="Organisation costs (sample)",
            )  # fmt: skip
            self.execution(line)
            if supporters:
                funder = supporters[(index + year) % len(supporters)]
                usd = Decimal(8000 + (index * 1500) % 20000)
                source = FundingSource.UN_AGENCY if funder.type == 40 else FundingSource.ODA_GRANT
                line = services.budget_line_create(
                    activity=activity, delivery_plan=delivery_plan, source=source, funder=funder, amount_vnd=None,
                    currency="USD", original_amount=usd, exchange_rate=Decimal("25400"),
                    status=FundingStatus.DISBURSED if past else (FundingStatus.PLEDGED if index % 2 else FundingStatus.ESTIMATED),
                    description_vi="Hỗ trợ kỹ thuật (mẫu)", description_en="Technical assistance (sample)",
                )  # fmt: skip
                self.execution(line)

    @staticmethod
    def execution(line):
        """What a sample line committed, disbursed and spent, by its status, with sample dates in its year."""
        year = line.delivery_plan.year
        amounts = {}
        if line.status in SECURED_STATUSES:
            amounts.update(committed_vnd=line.amount_vnd, committed_on=datetime.date(year, 3, 31))
        if line.status in DISBURSED_STATUSES:
            amounts.update(disbursed_vnd=line.amount_vnd, disbursed_on=datetime.date(year, 6, 30))
        if line.status == FundingStatus.SPENT:
            amounts.update(spent_vnd=line.amount_vnd, spent_on=datetime.date(year, 12, 15))
        if amounts:
            reporting.budget_execution_save(execution=BudgetExecution(line=line, **amounts), user=None)

    def indicators(self, plan, years):
        orgs = {org.code: org for org in Organisation.objects.all()}
        dims = {d.code: d for d in Disaggregation.objects.all()}
        for index, (code, level, attached, title_vi, title_en, measure, unit, agency, disaggregations, refs, baseline, periods) in enumerate(INDICATORS):
            indicator = Indicator.objects.filter(plan=plan, code=code).first()
            if indicator is not None:
                continue
            attachment = {
                "plan": {"plan_level_of": plan},
                "objective": {"objective": Objective.objects.filter(plan=plan, code=attached).first()},
                "output": {"output": Output.objects.filter(plan=plan, code=attached).first()},
                "activity": {"activity": Activity.objects.filter(plan=plan, code=attached).first()},
            }[level]
            base = self.baseline(measure, baseline) if baseline else {}
            indicator = services.indicator_create(
                code=code, level=level, order=index, title_vi=SAMPLE_VI + title_vi, title_en=SAMPLE_EN + title_en, measure=measure,
                unit_vi=unit[0], unit_en=unit[1], responsible_agency=orgs[agency], is_sample=True,
                definition_vi=SAMPLE_NOTE_VI, definition_en=SAMPLE_NOTE_EN,
                means_of_verification_vi="Báo cáo tiến độ hằng năm của cơ quan chủ trì (mẫu)",
                means_of_verification_en="Lead agency's annual progress report (sample)",
                disaggregations=[dims[d] for d in disaggregations],
                references=[FrameworkReference.objects.get(framework=f, code=c) for f, c in refs],
                **attachment, **base,
            )  # fmt: skip
            for year, (target, actual) in periods.items():
                services.indicator_period_set(
                    indicator=indicator, period=reporting.annual_period(plan=plan, year=year),
                    **self.values(measure, "target", target), **self.values(measure, "actual", actual),
                )  # fmt: skip

    def reports(self, plan):
        """The sample 2024 reports approved and published (what the public pages show), the 2025 ones
        left as drafts, with a sample deadline. Only on a database without reports yet."""
        if ProgressReport.objects.exclude(status=ReportStatus.DRAFT).exists():
            return
        reviewer = get_user_model().objects.filter(username="coordinator").first()
        if reviewer is not None and not roles.can_review(reviewer):
            reviewer = None  # an existing account of that name that is no coordinator: the system approves
        for period in ReportingPeriod.objects.filter(plan=plan, kind=PeriodKind.ANNUAL, year__in=[2024, 2025]):
            if period.due_date is None:
                period.due_date = datetime.date(period.year + 1, 12, 15) if period.year == 2025 else datetime.date(period.year + 1, 1, 31)
                services.record_save(obj=period, user=None, reason=history.reason(gettext_noop("Sample deadline")))
        for report in ProgressReport.objects.filter(period__plan=plan, period__year=2024, status=ReportStatus.DRAFT):
            report_narrative = "Báo cáo mẫu năm 2024; không phải số liệu thật."
            reporting.report_narrative_save(report=report, user=None, narrative_vi=report_narrative, narrative_en="Sample 2024 report; not real data.")
            reporting.report_submit(report=report, user=None)
            reporting.report_approve(report=report, user=reviewer)
            reporting.report_publish(report=report, user=reviewer)

    @staticmethod
    def baseline(measure, baseline):
        year, value, *source = baseline
        source_vi, source_en = source or SAMPLE_SOURCE
        fields = {"baseline_year": year, "baseline_source_vi": source_vi, "baseline_source_en": source_en}
        if measure == "qualitative":
            return {**fields, "baseline_text_vi": value[0], "baseline_text_en": value[1]}
        return {**fields, "baseline_value": Decimal(value)}

    @staticmethod
    def values(measure, prefix, value):
        if value is None or value == "":
            return {}
        if measure == "qualitative":
            return {f"{prefix}_text_vi": value}
        if measure == "percentage":
            numerator, denominator = value
            return {f"{prefix}_numerator": Decimal(numerator), f"{prefix}_denominator": Decimal(denominator)}
        return {f"{prefix}_value": Decimal(value)}

    def users(self):
        """Demo accounts, created only when missing: an existing account keeps its password, groups and agency."""
        User = get_user_model()
        for username, group, agency, first_name, last_name in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            user = User(username=username, first_name=first_name, last_name=last_name, is_staff=True)
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=group)])
            Membership.objects.create(user=user, organisation=Organisation.objects.get(code=agency))
