"""The published plan as IATI 2.03 activity XML: `/<lang>/data/iati-activities.xml` (issue 10 §4).

Published data only (see planning.iati). `?year=` narrows the file to one published delivery plan;
any other year is a 400. No published delivery plan at all: 404. Anyone may read it, from any site.
"""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from planning import iati
from planning.selectors import public

FILE_NAME = "iati-activities.xml"


def iati_activities(request):
    plan = public.public_plan()
    years = [delivery_plan.year for delivery_plan in public.published_delivery_plans(plan)] if plan is not None else []
    if not years:
        raise Http404("No published delivery plan.")
    year = request.GET.get("year")
    if year not in (None, ""):
        if not year.isdigit() or int(year) not in years:
            return HttpResponseBadRequest(_("The year must be one of the published years: %(years)s.") % {"years": ", ".join(map(str, years))})
        year = int(year)
    else:
        year = None
    response = HttpResponse(iati.iati_xml(plan, year=year), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, FILE_NAME)
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


urlpatterns = [
    path(f"data/{FILE_NAME}", iati_activities, name="open-data-iati"),
]
