# moved to rules.risk_reference; re-export kept while branches merge
from rules.risk_reference import (  # noqa: F401
    DISTRESS_WORDS,
    PETITION_WORDS,
    SPRING_FESTIVALS,
    THREAT_WORDS,
    load,
)
