"""The reporting cycle's pages under /<lang>/workspace/: the focal points' workspace, the coordinators'
review queue, evidence files and delivery-plan revisions."""

from .views import evidence, review, revisions, workspace, workspace_exports

app_name = "planning"

urlpatterns = [*workspace.urlpatterns, *review.urlpatterns, *evidence.urlpatterns, *revisions.urlpatterns, *workspace_exports.urlpatterns]
