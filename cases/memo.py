# moved to rules.memo; re-export kept while branches merge
from rules.memo import (  # noqa: F401
    process_cache_clear,
    remember,
    request_memo,
)
