"""Pages of the reporting cycle: evidence (see planning/urls.py)."""

urlpatterns = []
