"""Settings for the benchmark server only: the test settings plus a trivial view's URL.

Never used by the product: ``python -m benchmarks`` starts gunicorn with it, so the API
list and the trivial view are served by the same workers, middleware and database.
"""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["*"]

# As production (config.settings.production / base): persistent connections and the API
# lists' micro-cache, which the test settings turn off.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
API_LIST_CACHE_SECONDS = 10
API_AUTH_CACHE_SECONDS = 10
# A shared cache, as production needs for the two above: the local Redis unless CACHE_URL says otherwise.
CACHES = {"default": env.cache("CACHE_URL", default="redis://127.0.0.1:6379/14")}  # noqa: F405
