from core.throttling import *  # noqa: F403  moved to core.throttling; re-export kept while branches merge
