"""Pages of the reporting cycle: review (see planning/urls.py)."""

urlpatterns = []
