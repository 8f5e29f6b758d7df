from core.validators import *  # noqa: F403  moved to core.validators; re-export kept while branches merge
