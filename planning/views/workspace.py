"""Pages of the reporting cycle: workspace (see planning/urls.py)."""

urlpatterns = []
