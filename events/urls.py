from django.urls import path

from . import import_views, public_views, views

app_name = "events"
urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    *public_views.urlpatterns,
    path("new/", views.event_create, name="event-create"),
    path("figures/", views.figures, name="figures"),
    path("people/duplicates/", views.people_duplicates, name="people-duplicates"),
    path("people/merge/", views.person_merge, name="person-merge"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("<int:pk>/edit/", views.EventUpdateView.as_view(), name="event-update"),
    path("<int:pk>/agenda/", views.agenda_edit, name="agenda-edit"),
    path("<int:pk>/participants/", views.participant_list, name="participant-list"),
    path("<int:pk>/participants/new/", views.participant_create, name="participant-create"),
    path("<int:pk>/participants/<int:participation>/", views.participation_edit, name="participation-edit"),
    path("<int:pk>/participants/<int:participation>/withdraw/", views.participation_withdraw, name="participation-withdraw"),
    path("<int:pk>/participants/<int:participation>/reinstate/", views.participation_reinstate, name="participation-reinstate"),
    path("<int:pk>/participants/import/", import_views.import_page, {"kind": "participants"}, name="participant-import"),
    path("<int:pk>/participants/import/apply/", import_views.import_apply, {"kind": "participants"}, name="participant-import-apply"),
    path("<int:pk>/participants/template.xlsx", import_views.participant_template, name="import-template"),
    path("<int:pk>/participants.xlsx", views.participant_export, name="participant-export"),
    path("<int:pk>/follow-up.xlsx", views.follow_up_export, name="follow-up-export"),
    path("<int:pk>/check-in/<str:day>/", views.checkin, name="checkin"),
    path("<int:pk>/scores/", views.scores_edit, name="scores-edit"),
    path("<int:pk>/scores/import/", import_views.import_page, {"kind": "scores"}, name="scores-import"),
    path("<int:pk>/scores/import/apply/", import_views.import_apply, {"kind": "scores"}, name="scores-import-apply"),
    path("<int:pk>/feedback/new/", views.feedback_create, name="feedback-create"),
    path("<int:pk>/feedback/import/", import_views.import_page, {"kind": "feedback"}, name="feedback-import"),
    path("<int:pk>/feedback/import/apply/", import_views.import_apply, {"kind": "feedback"}, name="feedback-import-apply"),
    path("<int:pk>/feedback/template.xlsx", import_views.feedback_template, name="feedback-template"),
    path("<int:pk>/sign-in/<str:day>.pdf", views.sign_in_sheet, name="sign-in-sheet"),
    path("<int:pk>/certificates.pdf", views.certificates, name="certificates"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report-xlsx"),
]
