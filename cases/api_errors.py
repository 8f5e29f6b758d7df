# moved to core.api_errors; re-export kept while branches merge
from core.api_errors import (  # noqa: F401
    DOMAIN_STATUS,
    INPUT_INVALID,
    MALFORMED_BODY,
    domain_status,
    exception_handler,
)
