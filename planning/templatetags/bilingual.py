from django import template

from napwps.bilingual import render

register = template.Library()


@register.simple_tag
def bilingual(text):
    """{% bilingual obj.title %}: the text, marked when it falls back to Vietnamese."""
    return render(text)
