"""Evidence files: accepted by their content, size limited, served only to those who may see them."""

import io
import struct
import zipfile
import zlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from planning.models import Evidence, IndicatorPeriod, ReportStatus
from planning.services import evidence as services
from planning.services import reporting
from tests.factories import ActivityFactory, DeliveryPlanFactory, IndicatorFactory, OrganisationFactory, PlanFactory, UserFactory, coordinator, focal_point

pytestmark = pytest.mark.django_db


# Files made here, byte by byte ------------------------------------------------------------------


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1 pixel, 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def docx_bytes() -> bytes:
    """The smallest Word document: the OOXML parts, [Content_Types].xml first as Word writes it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Biên bản</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Số liệu"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# The scene --------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def scene(db):
    plan = PlanFactory()
    delivery_plan = DeliveryPlanFactory(plan=plan, year=2025)
    agency_a = OrganisationFactory(code="agency-a", name_vi="Cơ quan A", name_en="Agency A")
    agency_b = OrganisationFactory(code="agency-b", name_vi="Cơ quan B", name_en="Agency B")
    period = reporting.annual_period(plan=plan, year=2025)
    report_a = reporting.report_open(agency=agency_a, period=period, user=None)
    report_b = reporting.report_open(agency=agency_b, period=period, user=None)
    activity_a = ActivityFactory(output__objective__plan=plan, lead_agency=agency_a)
    activity_a.delivery_plans.add(delivery_plan)
    activity_b = ActivityFactory(output=activity_a.output, task_group=activity_a.task_group, lead_agency=agency_b)
    activity_b.delivery_plans.add(delivery_plan)
    indicator_a = IndicatorFactory(output=activity_a.output, responsible_agency=agency_a)
    indicator_period_a = IndicatorPeriod.objects.create(indicator=indicator_a, period=period)

    class Scene:
        pass

    scene = Scene()
    scene.__dict__.update(
        plan=plan, period=period, agency_a=agency_a, agency_b=agency_b, report_a=report_a, report_b=report_b,
        activity_a=activity_a, activity_b=activity_b, indicator_period_a=indicator_period_a,
        focal_a=focal_point(agency_a, "focal.a"), focal_b=focal_point(agency_b, "focal.b"), coordinator=coordinator("coord.e"),
    )  # fmt: skip
    return scene


def add(scene, report=None, name="minutes.pdf", content=None, user=None, **fields) -> Evidence:
    return services.evidence_add(
        report=report or scene.report_a, file=upload(name, pdf_bytes() if content is None else content),
        title_vi=fields.pop("title_vi", "Biên bản họp"), user=user or scene.focal_a, **fields,
    )  # fmt: skip


def submit(report):
    reporting.report_narrative_save(report=report, user=None, narrative_vi="Đã thực hiện.")
    return reporting.report_submit(report=report, user=None)


# Accepted by content ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("Biên bản.pdf", pdf_bytes, "application/pdf"),
        ("report.docx", docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("figures.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("photo.PNG", png_bytes, "image/png"),
    ],
)
def test_real_files_are_accepted_with_the_type_their_content_has(scene, name, make, content_type):
    content = make()
    evidence = add(scene, name=name, content=content)
    evidence.refresh_from_db()
    assert evidence.content_type == content_type
    assert evidence.size == len(content)
    assert evidence.original_name == name
    assert evidence.uploaded_by == scene.focal_a
    with default_storage.open(evidence.file.name, "rb") as stored:
        assert stored.read() == content


def test_the_stored_name_is_generated_never_the_users_path(scene):
    evidence = add(scene, name="../../etc/Bi\u0065\u0302n ba\u0309n.pdf")  # decomposed diacritics, a path
    assert evidence.original_name == "Biên bản.pdf"  # NFC, no folders
    assert "etc" not in evidence.file.name and ".." not in evidence.file.name
    assert evidence.file.name.startswith(f"evidence/2025/{scene.agency_a.pk}/") and evidence.file.name.endswith(".pdf")
    assert "Bi" not in evidence.file.name.rsplit("/", 1)[-1]


def test_a_long_name_is_shortened_keeping_its_extension(scene):
    evidence = add(scene, name="a" * 400 + ".pdf")
    assert len(evidence.original_name) <= 255
    assert evidence.original_name.endswith(".pdf")


def test_adding_records_who_and_why_in_history(scene):
    evidence = add(scene, name="minutes.pdf")
    record = evidence.history.latest()
    assert record.history_user == scene.focal_a
    assert "minutes.pdf" in record.history_change_reason


# Disguised, oversize --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", exe_bytes(), "not a"),  # a program renamed .pdf
        ("photo.png", HTML, "not a"),  # a web page renamed .png
        ("photo.png", pdf_bytes(), ".png"),  # a PDF renamed .png
        ("sheet.xlsx", docx_bytes(), "Word document"),  # a Word document renamed .xlsx
        ("page.html", HTML, "extension"),
        ("noextension", pdf_bytes(), "extension"),
    ],
)
def test_a_disguised_file_is_refused_with_a_clear_message(scene, name, content, message):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        add(scene, name=name, content=content)
    assert message in " ".join(refused.value.message_dict["file"])
    assert not Evidence.objects.exists()


def test_a_pdf_renamed_png_says_what_it_is(scene):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        add(scene, name="photo.png", content=pdf_bytes())
    assert "PDF document" in refused.value.message_dict["file"][0]


def test_an_oversize_file_is_refused(scene, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        add(scene, content=pdf_bytes() + b"%" * 200)
    assert "file" in refused.value.message_dict
    assert not Evidence.objects.exists()
    assert not any(default_storage.listdir("")[1])


def test_an_upload_beyond_the_limit_is_not_read_and_the_form_says_why(scene, client, settings, media):
    settings.EVIDENCE_MAX_BYTES = settings.UPLOAD_MAX_BYTES = 1000
    client.force_login(scene.focal_a)
    with translation.override("en"):
        response = client.post(
            reverse("planning:evidence-add", args=[scene.report_a.pk]),
            {"title_vi": "Quá lớn", "file": upload("big.pdf", pdf_bytes() + b"%" * 5000)},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not list(media.rglob("*.pdf"))


def test_the_upload_handler_drops_a_file_beyond_the_limit_as_it_arrives(settings):
    from napwps import uploads

    settings.UPLOAD_MAX_BYTES = 1000
    request = RequestFactory().post("/", {"small": upload("small.pdf", pdf_bytes()), "big": upload("big.pdf", pdf_bytes().ljust(70_000, b"%"))})
    assert set(request.FILES) == {"small"}
    assert uploads.too_large(request) == {"big"}


# Which report, which items ------------------------------------------------------------------------


def test_activity_and_indicator_must_be_the_reports_agencys(scene):
    evidence = add(scene, activity=scene.activity_a, indicator_period=scene.indicator_period_a)
    assert evidence.activity == scene.activity_a and evidence.indicator_period == scene.indicator_period_a
    with pytest.raises(ValidationError) as refused:
        add(scene, activity=scene.activity_b)
    assert "activity" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        add(scene, report=scene.report_b, user=scene.focal_b, indicator_period=scene.indicator_period_a)
    assert "indicator_period" in refused.value.message_dict


def test_no_upload_to_a_submitted_or_approved_report(scene):
    submit(scene.report_a)
    with pytest.raises(ValidationError):
        add(scene)
    reporting.report_approve(report=scene.report_a, user=None)
    with pytest.raises(ValidationError):
        add(scene)
    assert not Evidence.objects.exists()


def test_no_upload_to_a_submitted_report_through_the_page(scene, client):
    submit(scene.report_a)
    client.force_login(scene.focal_a)
    response = client.post(reverse("planning:evidence-add", args=[scene.report_a.pk]), {"title_vi": "Biên bản", "file": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_a_focal_point_cannot_add_to_another_agencys_report(scene, client):
    with pytest.raises(PermissionDenied):
        add(scene, report=scene.report_b, user=scene.focal_a)
    client.force_login(scene.focal_a)
    url = reverse("planning:evidence-add", args=[scene.report_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title_vi": "Biên bản", "file": upload("a.pdf", pdf_bytes())}).status_code == 404
    assert not Evidence.objects.exists()


def test_upload_page_attaches_the_file_and_returns_to_the_report(scene, client):
    client.force_login(scene.focal_a)
    url = reverse("planning:evidence-add", args=[scene.report_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    response = client.post(url, {"title_vi": "Biên bản", "title_en": "Minutes", "activity": scene.activity_a.pk, "file": upload("a.pdf", pdf_bytes())})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.report, evidence.activity, evidence.title_en) == (scene.report_a, scene.activity_a, "Minutes")
    assert scene.focal_a in scene.report_a.editors.all()


def test_a_disguised_file_through_the_page_shows_the_error_beside_the_field(scene, client):
    client.force_login(scene.focal_a)
    response = client.post(reverse("planning:evidence-add", args=[scene.report_a.pk]), {"title_vi": "Ảnh", "file": upload("photo.png", HTML, "image/png")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Evidence.objects.exists()


# Downloads --------------------------------------------------------------------------------------


def test_the_download_is_an_attachment_with_its_name_type_and_nosniff(scene, client):
    evidence = add(scene, name="Biên bản họp.pdf")
    client.force_login(scene.focal_a)
    response = client.get(reverse("planning:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_focal_point_cannot_download_another_agencys_evidence(scene, client):
    evidence = add(scene, report=scene.report_b, user=scene.focal_b)
    client.force_login(scene.focal_a)
    assert client.get(reverse("planning:evidence-download", args=[evidence.pk])).status_code == 404
    client.force_login(scene.focal_b)
    assert client.get(reverse("planning:evidence-download", args=[evidence.pk])).status_code == 200
    client.force_login(scene.coordinator)
    assert client.get(reverse("planning:evidence-download", args=[evidence.pk])).status_code == 200


def test_anonymous_users_get_public_files_only(scene, client):
    evidence = add(scene)
    url = reverse("planning:evidence-download", args=[evidence.pk])
    assert client.get(url).status_code == 404
    services.evidence_set_public(evidence=evidence, public=True, user=scene.coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    client.force_login(scene.focal_b)  # another agency's focal point, too, once it is public
    assert client.get(url).status_code == 200


# Public or private; deleting ----------------------------------------------------------------------


def test_only_coordinators_make_evidence_public(scene, client):
    evidence = add(scene)
    with pytest.raises(PermissionDenied):
        services.evidence_set_public(evidence=evidence, public=True, user=scene.focal_a)
    client.force_login(scene.focal_a)
    assert client.post(reverse("planning:evidence-public", args=[evidence.pk]), {"public": "1"}).status_code == 403
    evidence.refresh_from_db()
    assert not evidence.is_public
    client.force_login(scene.coordinator)
    assert client.post(reverse("planning:evidence-public", args=[evidence.pk]), {"public": "1"}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.is_public
    assert evidence.history.latest().history_user == scene.coordinator


def test_coordinators_make_evidence_public_even_after_approval(scene):
    evidence = add(scene)
    submit(scene.report_a)
    reporting.report_approve(report=scene.report_a, user=None)
    services.evidence_set_public(evidence=evidence, public=True, user=scene.coordinator)
    services.evidence_set_public(evidence=evidence, public=False, user=scene.coordinator)
    evidence.refresh_from_db()
    assert not evidence.is_public


def test_evidence_is_deleted_only_while_its_report_is_open(scene, client, django_capture_on_commit_callbacks):
    kept, dropped = add(scene, name="kept.pdf"), add(scene, name="dropped.pdf")
    stored = dropped.file.name
    client.force_login(scene.focal_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("planning:evidence-delete", args=[dropped.pk])).status_code == 302
    assert not Evidence.objects.filter(pk=dropped.pk).exists()
    assert not default_storage.exists(stored)
    deletion = Evidence.history.get(id=dropped.pk, history_type="-")
    assert deletion.history_user == scene.focal_a and "dropped.pdf" in deletion.history_change_reason
    submit(scene.report_a)
    with pytest.raises(ValidationError):
        services.evidence_delete(evidence=kept, user=scene.focal_a)
    client.post(reverse("planning:evidence-delete", args=[kept.pk]))
    assert Evidence.objects.filter(pk=kept.pk).exists()


def test_a_focal_point_cannot_delete_another_agencys_evidence(scene, client):
    evidence = add(scene, report=scene.report_b, user=scene.focal_b)
    client.force_login(scene.focal_a)
    assert client.post(reverse("planning:evidence-delete", args=[evidence.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.evidence_delete(evidence=evidence, user=scene.focal_a)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_changes_are_post_only(scene, client):
    evidence = add(scene)
    client.force_login(scene.coordinator)
    assert client.get(reverse("planning:evidence-delete", args=[evidence.pk])).status_code == 405
    assert client.get(reverse("planning:evidence-public", args=[evidence.pk])).status_code == 405


# The report's evidence list -----------------------------------------------------------------------


def render_list(report, user, can_edit):
    request = RequestFactory().get("/vi/workspace/reports/1/")
    request.user = user
    return render_to_string("planning/evidence/_report_evidence.html", {"report": report, "can_edit": can_edit, "user": user}, request=request)


def test_the_list_shows_each_file_with_size_date_and_badge(scene):
    evidence = add(scene, name="Biên bản.pdf", content=pdf_bytes().ljust(2560, b"%"), title_vi="Biên bản họp quý")
    services.evidence_set_public(evidence=evidence, public=True, user=scene.coordinator)
    html = render_list(scene.report_a, scene.focal_a, can_edit=True)
    assert "Biên bản họp quý" in html and "Biên bản.pdf" in html
    assert reverse("planning:evidence-download", args=[evidence.pk]) in html
    assert "2,5 KB" in html  # the Vietnamese decimal comma
    assert timezone.localtime(evidence.uploaded_at).strftime("%d/%m/%Y") in html
    assert ">Công khai<" in html
    assert reverse("planning:evidence-delete", args=[evidence.pk]) in html
    assert reverse("planning:evidence-add", args=[scene.report_a.pk]) in html
    assert reverse("planning:evidence-public", args=[evidence.pk]) not in html  # focal points do not publish
    assert "<script" not in html and "style=" not in html


def test_the_list_in_english(scene):
    add(scene, content=pdf_bytes().ljust(2560, b"%"))
    with translation.override("en"):
        html = render_list(scene.report_a, scene.focal_a, can_edit=False)
    assert "2.5 KB" in html and "PDF document" in html and "Not public" in html


def test_without_can_edit_or_once_submitted_the_list_offers_no_upload_nor_delete(scene):
    evidence = add(scene)
    html = render_list(scene.report_a, scene.focal_a, can_edit=False)
    assert reverse("planning:evidence-delete", args=[evidence.pk]) not in html
    assert reverse("planning:evidence-add", args=[scene.report_a.pk]) not in html
    submit(scene.report_a)
    scene.report_a.refresh_from_db()
    html = render_list(scene.report_a, scene.focal_a, can_edit=True)
    assert reverse("planning:evidence-delete", args=[evidence.pk]) not in html


def test_coordinators_get_the_public_toggle(scene):
    evidence = add(scene)
    html = render_list(scene.report_a, scene.coordinator, can_edit=False)
    assert reverse("planning:evidence-public", args=[evidence.pk]) in html


def test_the_lists_queries_do_not_grow_with_its_files(scene, django_assert_max_num_queries):
    for number in range(15):
        uploader = UserFactory(username=f"uploader{number}", first_name=f"Người {number}")
        add(scene, name=f"file{number}.pdf", user=scene.coordinator)
        Evidence.objects.filter(pk=Evidence.objects.latest("pk").pk).update(uploaded_by=uploader)
    user = scene.focal_a
    render_list(scene.report_a, user, can_edit=True)  # warm the per-request caches of the user
    with django_assert_max_num_queries(8):
        html = render_list(scene.report_a, user, can_edit=True)
    assert html.count("evidence-row-") == 15


def test_anonymous_rendering_shows_public_files_only(scene):
    public, private = add(scene, name="public.pdf"), add(scene, name="private.pdf")
    services.evidence_set_public(evidence=public, public=True, user=scene.coordinator)
    html = render_list(scene.report_a, AnonymousUser(), can_edit=False)
    assert "public.pdf" in html and "private.pdf" not in html
    assert private.pk


def test_report_status_is_open_while_adding(scene):
    """The service locks the report: a report moved meanwhile is seen as it is now, not as passed in."""
    stale = type(scene.report_a).objects.get(pk=scene.report_a.pk)
    submit(scene.report_a)
    assert stale.status == ReportStatus.DRAFT
    with pytest.raises(ValidationError):
        add(scene, report=stale)


def test_sizes_are_written_in_the_readers_number_format():
    with translation.override("vi"):
        assert [services.size_display(size) for size in (950, 2560, 123_456, 3_355_443, 20 * 1024 * 1024)] == [
            "950 byte", "2,5 KB", "121 KB", "3,2 MB", "20 MB",
        ]  # fmt: skip
    with translation.override("en"):
        assert services.size_display(3_355_443) == "3.2 MB"


# The admin --------------------------------------------------------------------------------------


def test_the_admin_lists_evidence_read_only_and_only_what_the_user_may_see(scene, client):
    mine, theirs = add(scene, name="mine.pdf"), add(scene, report=scene.report_b, user=scene.focal_b, name="theirs.pdf")
    client.force_login(scene.focal_a)
    page = client.get(reverse("admin:planning_evidence_changelist"))
    assert page.status_code == 200
    listed = {evidence.pk for evidence in page.context["cl"].result_list}
    assert listed == {mine.pk}
    assert client.get(reverse("admin:planning_evidence_change", args=[theirs.pk])).status_code == 302  # not found: back to the list
    assert client.get(reverse("admin:planning_evidence_add")).status_code == 403
    detail = client.get(reverse("admin:planning_evidence_change", args=[mine.pk]))
    assert detail.status_code == 200 and 'type="file"' not in detail.content.decode()
    assert client.post(reverse("admin:planning_evidence_delete", args=[mine.pk]), {"post": "yes"}).status_code == 403
    assert Evidence.objects.filter(pk=mine.pk).exists()


def test_the_admin_action_makes_evidence_public_for_coordinators_only(scene, client):
    evidence = add(scene)
    changelist = reverse("admin:planning_evidence_changelist")
    client.force_login(scene.focal_a)
    assert "make_public" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "make_public", "_selected_action": [evidence.pk]})
    evidence.refresh_from_db()
    assert not evidence.is_public
    client.force_login(scene.coordinator)
    response = client.post(changelist, {"action": "make_public", "_selected_action": [evidence.pk]})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.is_public
    assert evidence.history.latest().history_user == scene.coordinator
    client.post(changelist, {"action": "make_private", "_selected_action": [evidence.pk]})
    evidence.refresh_from_db()
    assert not evidence.is_public
