"""Settings for the benchmark server only: the test settings plus a trivial view's URL.

Never used by the product: ``python -m benchmarks`` starts gunicorn with it, so the API
list and the trivial view are served by the same workers, middleware and database.
"""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["*"]
