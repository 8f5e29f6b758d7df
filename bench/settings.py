"""Settings for the benchmarks only: production settings plus the bench URLconf (which
adds the bare baseline view) and the bench's own PostgreSQL database and Redis db.

Never used in production: config.urls knows nothing of the baseline view.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/laborcase_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ.setdefault("DEBUG", "false")
# Plain http to gunicorn: no HTTPS redirect or secure cookies (config/settings_parts/security.py).
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
# Personal-data keys (production refuses to start without them): fixed, bench data only.
os.environ.setdefault("LABORCASE_PII_KEYS", "hlR9pgyV9pc6KFZdBBafi0b3Z_fO3H0LEmOFj4ERYgs=")
os.environ.setdefault(
    "LABORCASE_PII_INDEX_KEY", "dd1300b8f83c1951986a91dde411b193546c3632108f60a1b57800172d753786"
)
os.environ.setdefault("LABORCASE_AUDIT_KEYS", "bench-only-audit-key-0123456789abcdef")
# The throttle stays in the path (it costs a cache round trip per filing), but every
# request comes from 127.0.0.1, so its limit is lifted.
os.environ.setdefault("LABORCASE_THROTTLE_COMPLAINTS", "100000000/min")

from config.settings import *  # noqa: E402,F403
from config.settings import CHANNEL_LAYERS  # noqa: E402

ROOT_URLCONF = "bench.urls"
LOG_LEVEL = "WARNING"
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "WARNING")  # noqa: F405

# BENCH_CHANNEL_LAYER=pubsub|core compares channels-redis's two layers (same CONFIG).
_LAYERS = {
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}
if os.environ.get("BENCH_CHANNEL_LAYER"):
    CHANNEL_LAYERS["default"]["BACKEND"] = _LAYERS[os.environ["BENCH_CHANNEL_LAYER"]]
