# moved to core.query_codes; re-export kept while branches merge
from core.query_codes import *  # noqa: F403
