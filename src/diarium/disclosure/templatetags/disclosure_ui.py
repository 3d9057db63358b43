"""Small arithmetic for the statistics page's SVG chart (no JavaScript). Coordinates are
returned as text with a decimal point: a float would be localised by the template ("105,0"
in Swedish), which SVG does not read, and no bar would be drawn."""

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
def bar_h(value, top) -> str:
    return f"{_height(value, top):.1f}"


@register.filter
def bar_y(value, top) -> str:
    return f"{HEIGHT - _height(value, top):.1f}"


def _height(value, top) -> float:
    return round(float(value) / float(top or 1) * (HEIGHT - 10), 1)


@register.filter
def percent(value):
    return f"{float(value) * 100:.0f} %"
