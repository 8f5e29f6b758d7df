from core.roles import *  # noqa: F403  moved to core.roles; re-export kept while branches merge
