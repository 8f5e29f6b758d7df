# moved to cases/lifecycle/permissions.py; re-export kept while branches merge
from cases.lifecycle.permissions import (  # noqa: F401
    EXTENSION_STAGES,
    TRANSITION_ROLES,
    may,
    role_allows,
)
