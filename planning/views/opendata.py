"""Open data (issue 10 §4): the page listing the datasets with their dictionary, and the files.

`/<lang>/data/` and `/<lang>/data/<name>.<csv|json>`: published data only, read through
`planning.opendata` (which reads only `planning.selectors.public`). Anyone may download them.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header

from planning import opendata
from planning.selectors import public


def open_data(request):
    datasets = [(dataset, dataset.get_columns()) for dataset in opendata.DATASETS.values()]
    return render(request, "planning/public/open_data.html", {"datasets": datasets, "types": opendata.TYPES, "plan": public.public_plan()})


def open_data_file(request, name, format):
    dataset = opendata.DATASETS.get(name)
    if dataset is None or format not in opendata.FORMATS:
        raise Http404(name)
    document = opendata.read(dataset, public.public_plan())
    if format == "csv":
        response = HttpResponse(opendata.csv_text(document), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.csv")
    else:
        response = HttpResponse(opendata.json_text(document), content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


urlpatterns = [
    path("data/", open_data, name="open-data"),
    path("data/<slug:name>.<str:format>", open_data_file, name="open-data-file"),
]
