"""Small arithmetic for the statistics page's SVG chart (no JavaScript)."""

from django import template

register = template.Library()
HEIGHT = 200


@register.filter
def mul(value, factor):
    return int(value) * int(factor)


@register.filter
def chart_width(count):
    return max(200, int(count) * 60 + 20)


@register.filter
def bar_h(value, top):
    return round(float(value) / float(top or 1) * (HEIGHT - 10), 1)


@register.filter
def bar_y(value, top):
    return round(HEIGHT - bar_h(value, top), 1)


@register.filter
def percent(value):
    return f"{float(value) * 100:.0f} %"
