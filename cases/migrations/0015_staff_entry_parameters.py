import datetime as dt
from importlib import import_module

from django.db import migrations

_LSCR = dt.date(2004, 12, 1)  # 劳动保障监察条例 (国务院令423号)
_LDMAL = dt.date(2008, 5, 1)  # 劳动争议调解仲裁法

# The limitation and back-dating figures (cases.staff_entry) cases/reference.py gained
# with this migration, frozen as they were then.
STAFF_ENTRY_PARAMETERS = [
    (
        "limitation_months_wage_arrears",
        "监察时效（月）：超过即不再查处，也不能补录更早的收到时间",
        24,
        "月",
        "《劳动保障监察条例》第二十条",
        True,
        _LSCR,
    ),
    (
        "limitation_months_labor_dispute",
        "仲裁时效（月）：不能补录更早的收到时间",
        12,
        "月",
        "《劳动争议调解仲裁法》第二十七条",
        True,
        _LDMAL,
    ),
    (
        "backdate_tolerance_days",
        "补录收到时间：超过该天数须填写原因",
        3,
        "日",
        "本县录入规则：早于录入日的收到时间须说明原因 [CONFIG]",
        False,
        _LSCR,
    ),
]


def load_reference(apps, schema_editor):
    # reference.load as it was then: every earlier row (only missing ones are created,
    # existing rows are left as the administrator set them) and the new figures.
    initial = import_module("cases.migrations.0002_reference_data")
    anonymous = import_module("cases.migrations.0009_filing_pending_submissions")
    initial.load(
        apps,
        [*initial.LEGAL_PARAMETERS, *STAFF_ENTRY_PARAMETERS, anonymous.ANONYMOUS_CLAIMANTS_MAX],
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_drop_clear_api_tokens")]

    operations = [migrations.RunPython(load_reference, migrations.RunPython.noop)]
