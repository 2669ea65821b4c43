"""The public portal's pages, mounted at `/<lang>/` (see planning/views/public/), with its exports and open data."""

from .views import exports, iati, opendata, pdf_exports
from .views.public import activities, agencies, home, indicators, plan

app_name = "public"
urlpatterns = [
    *home.urlpatterns,
    *plan.urlpatterns,
    *activities.urlpatterns,
    *indicators.urlpatterns,
    *agencies.urlpatterns,
    *exports.urlpatterns,
    *pdf_exports.urlpatterns,
    *iati.urlpatterns,
    *opendata.urlpatterns,
]
