from core.pii import *  # noqa: F403  moved to core.pii; re-export kept while branches merge
