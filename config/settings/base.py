"""Settings shared by every environment.

Everything is read from the environment, with defaults that need nothing installed:
SQLite next to the code and Celery tasks run in-process. Setting DATABASE_URL and
CELERY_BROKER_URL switches to PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Development only; production.py refuses to start without a real key.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tables2",
    "import_export",
    "simple_history",
    "axes",
    "bootstrap",
    # ours; the menu follows this order
    "members",
    "training",
    "projects",
    "assistance",
    "fund",
    "reports",
    "organization",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # a token client's repeated API list, before sessions, URLs and DRF (off unless both API caches are on)
    "organization.api.caching.TokenAnswerMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # last, so that it sees the outcome of authentication
    "axes.middleware.AxesMiddleware",
    # marks a user's own changes so that their API lists are never served from before them
    "organization.api.caching.RecentWriteMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "organization.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming replica for the dashboards' reads (config.routers); unset, everything reads the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organization.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out user before any password is checked
    "axes.backends.AxesStandaloneBackend",
    "organization.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "organization.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "organization.validators.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed-login lockout per username and address; it lifts by itself after the cool-off,
# because a lock that waits for an administrator is itself a way to shut people out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "organization.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "organization.lockout.client_ip"
# How many trusted reverse proxies stand in front of the app (nginx: 1).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_VERBOSE = False
# Login logs are security logs: the Cybersecurity Law asks for at least six months.
LOGIN_LOG_RETENTION_DAYS = max(180, env.int("LOGIN_LOG_RETENTION_DAYS", default=365))

LANGUAGE_CODE = "zh-hans"
# Each language is named in itself, so that anyone can find their own.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # A cache outage must not take pages or the API down: every call is a logged miss,
    # and a hung Redis costs a request at most a second.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True}
    )
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Seconds an API list answer is kept for the same user and URL (organization.api.caching),
# and a checked API token is remembered (organization.api.authentication); 0 turns either
# off. Both rely on every process seeing the same cache (a user's own change, an account
# deactivated), so they are on by default only with a shared cache (CACHE_URL, Redis).
_SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith("LocMemCache")
API_LIST_CACHE_SECONDS = env.int("API_LIST_CACHE_SECONDS", default=10 if _SHARED_CACHE else 0)
API_AUTH_CACHE_SECONDS = env.int("API_AUTH_CACHE_SECONDS", default=10 if _SHARED_CACHE else 0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "organization.api.authentication.TokenWithJurisdictionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "NUM_PROXIES": PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "贫困党员脱困示范行动 API",
    "DESCRIPTION": "贫困党员脱困示范行动管理系统的 REST 接口。所有数据按账号的管辖范围过滤。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Celery: with no broker configured, tasks run in the calling process, so the app needs
# nothing installed. With CELERY_BROKER_URL set they go to Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
# Redelivery after an hour would re-run long tasks; keep it above the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60 * 2,
    # A Redis that is down or hung must not hold a web request: fail within seconds
    # (config.celery.enqueue then refuses the action with a message).
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A large register's check / confirmed run split per county over the workers
# (members.import_parts): off until benchmarks/import_split.py shows it pays on your workers
# (docs/performance.md, "Register import split per county").
REGISTER_IMPORT_SPLIT_CHECK = env.bool("REGISTER_IMPORT_SPLIT_CHECK", default=False)
REGISTER_IMPORT_SPLIT_RUN = env.bool("REGISTER_IMPORT_SPLIT_RUN", default=False)
# Dashboards read the villages' snapshot while it is younger than the max age (the
# refresh interval with room for one late run); older, they count live.
REPORTS_TALLY_MINUTES = env.int("REPORTS_TALLY_MINUTES", default=5)
REPORTS_TALLY_MAX_AGE_MINUTES = env.int("REPORTS_TALLY_MAX_AGE_MINUTES", default=2 * REPORTS_TALLY_MINUTES + 5)
CELERY_BEAT_SCHEDULE = {
    "prune-login-records": {"task": "organization.prune_login_records", "schedule": 60 * 60 * 24},
    "reroute-members": {"task": "members.reroute_members", "schedule": 60 * 60 * 24},
    # Daily: relief referrals proposed for members who turned 60 without a source of living,
    # and trainees who completed a course paired with their work team as key targets.
    "propose-referrals": {"task": "assistance.propose_referrals", "schedule": 60 * 60 * 24},
    "pair-key-targets": {"task": "assistance.pair_key_targets", "schedule": 60 * 60 * 24},
    # Daily; produces the city's yearly bulletin only on the date the programme sets.
    "yearly-bulletin": {"task": "reports.scheduled_bulletin", "schedule": 60 * 60 * 24},
    # The villages' snapshot the dashboards sum (reports.models.VillageTally).
    "refresh-tallies": {"task": "reports.refresh_tallies", "schedule": 60 * REPORTS_TALLY_MINUTES},
}

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.security": {"level": "INFO"},
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

PROGRAMME_NAME = _("贫困党员脱困示范行动")
# load_demo creates accounts with public passwords; production.py turns this off.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)
