# moved to rules.models and rules.triggers; re-export kept while branches merge
# (old migrations import the trigger SQL and new_generation from here until frozen)
from rules.models import (  # noqa: F401
    CalendarDay,
    CalendarYear,
    ClockRule,
    LegalParameter,
    RuleTablesVersion,
    new_generation,
)
from rules.triggers import (  # noqa: F401
    rule_tables_triggers_drop_sql,
    rule_tables_triggers_sql,
    rule_tables_watch,
)
