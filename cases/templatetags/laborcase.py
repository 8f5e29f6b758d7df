from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (row editors keep their values in dicts)."""
    if not mapping:
        return ""
    return mapping.get(key, "")
