# moved to rules.policies; re-export kept while branches merge
from rules.policies import (  # noqa: F401
    CONFIG,
    FROM,
    NOTICE,
    PLAN,
    POLICIES,
    TO,
    load,
)
