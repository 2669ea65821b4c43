"""The reporting cycle's pages under /<lang>/workspace/: the focal points' workspace, the coordinators'
review queue, evidence files, delivery-plan revisions, the workspace exports and the plan import."""

from .views import evidence, plan_import, review, revisions, workspace, workspace_exports

app_name = "planning"

urlpatterns = [
    *workspace.urlpatterns,
    *review.urlpatterns,
    *evidence.urlpatterns,
    *revisions.urlpatterns,
    *workspace_exports.urlpatterns,
    *plan_import.urlpatterns,
]
