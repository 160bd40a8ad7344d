from django import template
from django.utils.formats import number_format

register = template.Library()

_SELECTS = {"select", "selectmultiple", "nullbooleanselect"}


@register.simple_tag
def widget(field, **attrs):
    """Render a bound field's widget with Bootstrap classes and its error state."""
    kind = field.widget_type
    css = "form-select" if kind in _SELECTS else "form-control"
    if kind in {"checkbox", "radioselect", "checkboxselectmultiple"}:
        css = "form-check-input"
    if field.errors:
        css += " is-invalid"
    attrs.setdefault("class", css)
    if field.errors:
        attrs.setdefault("aria-invalid", "true")
    return field.as_widget(attrs=attrs)


@register.filter
def vn_number(value, digits=0):
    """1107 -> "1.107", 53.28 -> "53,28" in Vietnamese (the active locale's marks)."""
    if value is None or value == "":
        return ""
    return number_format(value, decimal_pos=int(digits), force_grouping=True)


@register.filter
def checkable(field):
    """Give each option of a checkbox/radio group Bootstrap's class (the group's own div gets none)."""
    field.field.widget.attrs.setdefault("class", "form-check-input")
    return field
