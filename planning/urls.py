"""The reporting cycle's pages under /<lang>/workspace/: the focal points' workspace, the coordinators'
review queue, evidence files and delivery-plan revisions."""

from .views import evidence, plan_import, review, revisions, workspace

app_name = "planning"

urlpatterns = [*workspace.urlpatterns, *review.urlpatterns, *evidence.urlpatterns, *revisions.urlpatterns, *plan_import.urlpatterns]
