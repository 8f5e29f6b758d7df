"""Rule figures for templates, read from the tables when a page shows them.

{{ rule_figures.days.investigation }} is the number of days of the clock rule in force
today (60), {{ rule_figures.number.collective_min_claimants }} a legal parameter (10).
Nothing is read unless the page uses it; a figure missing from the table shows empty.
"""

from django.utils import timezone

from rules.clock_rules import RuleMissing, rule_for
from rules.parameters import ParameterMissing, int_parameter


class _Read:
    def __init__(self, read):
        self._read = read

    def __getitem__(self, code: str) -> int:
        try:
            return self._read(code)
        except (RuleMissing, ParameterMissing) as missing:
            raise KeyError(code) from missing


class RuleFigures:
    days = _Read(lambda stage: rule_for(stage, timezone.localdate()).days)
    number = _Read(int_parameter)


def rule_figures(request) -> dict:
    return {"rule_figures": RuleFigures()}
