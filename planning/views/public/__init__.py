"""The public portal: pages anyone may read, built only on published and approved data
(`planning.selectors.public`). Each module owns its pages' `urlpatterns`; `planning/public_urls.py`
mounts them at `/<lang>/`."""

from django.http import Http404

from planning.selectors import public


def year_context(request, *, plan=None) -> dict:
    """The plan, its published years and the year chosen with `?year=` (the latest by default).

    Raises 404 when there is no plan at all. `delivery_plan` and `year` are None while no delivery
    plan is published.
    """
    plan = plan or public.public_plan()
    if plan is None:
        raise Http404
    years = public.published_delivery_plans(plan)
    chosen = public.public_year(years, request.GET.get("year"))
    return {"plan": plan, "years": years, "delivery_plan": chosen, "year": chosen.year if chosen else None}
