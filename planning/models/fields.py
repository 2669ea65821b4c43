"""Month-precision dates: stored as the first day of the month, typed as YYYY-MM."""

import datetime
from decimal import Decimal

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthFormField(forms.DateField):
    widget = MonthInput
    input_formats = ["%Y-%m", "%m/%Y", "%Y-%m-%d", "%d/%m/%Y"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class MonthField(models.DateField):
    description = _("Month")
    display_format = "%m/%Y"  # how napwps.formatting.field_value writes it

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, datetime.date) and value.day != 1:
            value = value.replace(day=1)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MonthFormField, **kwargs})


def month_end(day: datetime.date) -> datetime.date:
    """The last day of `day`'s month."""
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def related_or_none(instance, name: str):
    """The object a foreign key points to, also when it is not saved yet (an admin inline on an add page)."""
    descriptor = getattr(type(instance), name)
    if getattr(instance, descriptor.field.attname) is not None or descriptor.is_cached(instance):
        return getattr(instance, name)
    return None


class QuantityFormField(forms.DecimalField):
    """A decimal typed in a form, shown without trailing zeros: 25 rather than 25.00, 12.5 rather than 12.50."""

    def prepare_value(self, value):
        value = super().prepare_value(value)
        if isinstance(value, Decimal) and value.is_finite():
            return f"{value.normalize():f}"
        return value
