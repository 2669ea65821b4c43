"""Pages of the reporting cycle: revisions (see planning/urls.py)."""

urlpatterns = []
