"""The public portal's pages for sitemap.xml, in both languages with hreflang alternates.

Only what `planning.selectors.public` makes public: the plan's published years, its objectives and
task groups, activities of a published delivery plan, public indicators and the agencies leading one.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from planning.selectors import public


class PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    url_name = ""

    def location(self, item):
        return reverse(self.url_name, args=[item.pk])


class HomeSitemap(PublicSitemap):
    priority = 1.0
    changefreq = "weekly"

    def items(self):
        return ["public:home", "public:activity-list", "public:indicator-list", "public:agency-list", "public:open-data"]

    def location(self, item):
        return reverse(item)


class PlanYearSitemap(PublicSitemap):
    def items(self):
        plan = public.public_plan()
        return [dp.year for dp in public.published_delivery_plans(plan)] if plan else []

    def location(self, item):
        return reverse("public:plan", args=[item])


class ObjectiveSitemap(PublicSitemap):
    url_name = "public:objective-detail"

    def items(self):
        plan = public.public_plan()
        return list(plan.objectives.order_by("order", "code")) if plan else []


class TaskGroupSitemap(PublicSitemap):
    url_name = "public:taskgroup-detail"

    def items(self):
        plan = public.public_plan()
        return list(plan.task_groups.order_by("order", "code")) if plan else []


class ActivitySitemap(PublicSitemap):
    url_name = "public:activity-detail"

    def items(self):
        plan = public.public_plan()
        return list(public.public_activities(plan).order_by("order", "code")) if plan else []


class IndicatorSitemap(PublicSitemap):
    url_name = "public:indicator-detail"

    def items(self):
        plan = public.public_plan()
        return list(public.public_indicators(plan)) if plan else []


class AgencySitemap(PublicSitemap):
    url_name = "public:agency-detail"

    def items(self):
        plan = public.public_plan()
        if plan is None:
            return []
        return list(public.public_organisations(plan).order_by("name_vi", "pk"))


SITEMAPS = {
    "home": HomeSitemap,
    "plan": PlanYearSitemap,
    "objectives": ObjectiveSitemap,
    "task-groups": TaskGroupSitemap,
    "activities": ActivitySitemap,
    "indicators": IndicatorSitemap,
    "agencies": AgencySitemap,
}
