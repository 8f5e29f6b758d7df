"""The blacklist panel of the staff case page: {% load enforcement %}{% blacklist_panel case %}.

A template tag, so the case app's code never imports enforcement (the import rules):
the case page shows the case's entry, or whether it meets the listing conditions and,
for an inspector of its township, the "propose" button."""

from django import template

from enforcement import selectors

register = template.Library()


@register.inclusion_tag("enforcement/_case_panel.html", takes_context=True)
def blacklist_panel(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"case": case, "standing": selectors.case_standing(case, user)}
