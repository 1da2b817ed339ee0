"""CityHall's only settings module, driven by the environment (see .env.example).

CITYHALL_ENV selects the defaults: `development` and `test` run on an embedded stack with
dev-safe values; `production` (the default) fails closed when a secret or host is missing.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_str, load_dotenv
from config.services import (
    DATABASE_POOLERS,
    cache_settings,
    database_pooler_settings,
    email_settings,
    media_storage_settings,
    rate_limit_cache_settings,
    replica_database_settings,
    tasks_settings,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

CITYHALL_ENV = env_choice("CITYHALL_ENV", ("development", "test", "production"), "production")
IS_PRODUCTION = CITYHALL_ENV == "production"
DEBUG = env_bool("CITYHALL_DEBUG", CITYHALL_ENV == "development")

_DEV_SECRET = "development-only-secret-key-never-used-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", None if IS_PRODUCTION else _DEV_SECRET)
# Earlier keys, still accepted while signed links, sessions and webhook secrets move to the new one.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
# Encryption at rest (cityhall/core/field_keys.py): `id:base64key,...`, 32-byte keys, the first
# encrypts (or hashes) and the others are only read until `rotate_encryption_keys` has run.
# Outside production, empty means one key derived from SECRET_KEY for each.
FIELD_ENCRYPTION_KEYS = env_str("FIELD_ENCRYPTION_KEYS", None if IS_PRODUCTION else "")
FIELD_HASH_KEYS = env_str("FIELD_HASH_KEYS", None if IS_PRODUCTION else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost"])
if IS_PRODUCTION and not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    # Only for the Leaflet files it ships (static/leaflet/); no map widgets are used.
    "leaflet",
    "django_tasks",
    "django_tasks_db",
    "django_tasks_rq",
    "django_rq",
    "cityhall.core",
    "cityhall.accounts",
    "cityhall.catalog",
    "cityhall.places",
    "cityhall.servicerequests",
    "cityhall.notifications",
    "cityhall.integrations",
    "cityhall.appointments",
    "cityhall.alerts",
    "cityhall.privacy",
    "cityhall.open311",
    "cityhall.portal",
    "cityhall.backoffice",
    "cityhall.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cityhall.core.middleware.ContentSecurityPolicyMiddleware",
    "cityhall.core.ratelimit.ApiAddressLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cityhall.core.db_routing.ReadYourWritesMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cityhall.core.context_processors.city",
                "cityhall.alerts.crisis.crisis",
            ],
        },
    },
]

# Database: SQLite in WAL mode unless DATABASE_URL names another server.
DATABASE_URL = env_str(
    "DATABASE_URL", None if IS_PRODUCTION else f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
    )
}
# DATABASE_POOLER=pgbouncer when DATABASE_URL names PgBouncer in transaction mode.
DATABASES["default"] = database_pooler_settings(
    DATABASES["default"], env_choice("DATABASE_POOLER", DATABASE_POOLERS, "none")
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids
        # "database is locked" on read-then-write transactions.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
# A streaming replica serves the reads that may lag (cityhall/core/db_routing.py) while it is
# at most DATABASE_REPLICA_MAX_LAG_SECONDS behind; otherwise the primary serves them.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int(
    "DATABASE_REPLICA_MAX_LAG_SECONDS", 5, minimum=1, maximum=300
)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = replica_database_settings(
        DATABASE_REPLICA_URL, primary=DATABASES["default"]
    )
DATABASE_ROUTERS = ["cityhall.core.db_routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("CACHE_URL", "locmem://")
# Rate limits and sign-in limits count in their own cache, shared by every process: Redis when
# the cache is Redis, else the database (`db://`, which `make run`'s several web workers share).
# Tests run in one process and count in memory; production refuses a per-process cache.
_RATE_LIMIT_CACHE_DEFAULT = (
    CACHE_URL
    if CACHE_URL.startswith(("redis://", "rediss://")) or IS_PRODUCTION
    else "locmem://"
    if CITYHALL_ENV == "test"
    else "db://"
)
CACHES = {
    "default": cache_settings(CACHE_URL),
    "ratelimit": rate_limit_cache_settings(
        env_str("RATE_LIMIT_CACHE_URL", _RATE_LIMIT_CACHE_DEFAULT), production=IS_PRODUCTION
    ),
}

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS_BACKEND = env_choice("TASKS_BACKEND", ("database", "rq", "immediate"), "database")
TASKS, RQ_QUEUES = tasks_settings(TASKS_BACKEND, redis_url=REDIS_URL)
# Every RQ queue of a process shares one Redis client, so enqueueing opens no connection.
RQ = {"QUEUE_CLASS": "cityhall.core.task_queues.SharedConnectionQueue"}

_email = email_settings(env_str("EMAIL_URL", "console://" if not IS_PRODUCTION else None))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
globals().update({key: value for key, value in _email.items() if key != "EMAIL_BACKEND"})
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CityHall <no-reply@cityhall.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# DKIM signing of email sent over SMTP (notifications/channels/dkim_signing.py): on when all three
# are set, off when none is. The key is PEM text (Ed25519 or RSA); DKIM_PRIVATE_KEY_FILE names a
# file holding it instead. `manage.py generate_dkim_key` makes one with its DNS record.
DKIM_DOMAIN = env_str("DKIM_DOMAIN", "")
DKIM_SELECTOR = env_str("DKIM_SELECTOR", "")
DKIM_PRIVATE_KEY = env_str("DKIM_PRIVATE_KEY", "")
if any((DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY)) and not all(
    (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY)
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY go together.")

# Text messages through a Twilio-compatible Messages API (notifications/channels/sms.py).
# Until SMS_ACCOUNT_SID and SMS_AUTH_TOKEN are set, texts fail without retries and the
# provider webhooks refuse every call.
SMS_API_BASE_URL = env_str("SMS_API_BASE_URL", "https://api.twilio.com")
SMS_ACCOUNT_SID = env_str("SMS_ACCOUNT_SID", "")
SMS_AUTH_TOKEN = env_str("SMS_AUTH_TOKEN", "")
SMS_FROM_NUMBER = env_str("SMS_FROM_NUMBER", "")
SMS_STATUS_CALLBACK_URL = env_str("SMS_STATUS_CALLBACK_URL", "")
SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 10, minimum=1, maximum=120)
NOTIFICATIONS_UNSUBSCRIBE_EMAIL = env_str("NOTIFICATIONS_UNSUBSCRIBE_EMAIL", "")

# Web push (notifications/vapid.py): base64url keys from `manage.py generate_vapid_keys`.
# Outside production, empty keys mean a pair derived from SECRET_KEY; in production, no push.
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY", "")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "")
WEB_PUSH_TIMEOUT_SECONDS = env_int("WEB_PUSH_TIMEOUT_SECONDS", 10, minimum=1, maximum=120)

# Requests the server makes (cityhall/core/outbound.py) go to public addresses only. This lets
# them reach 127.0.0.0/8 and ::1 too, for receivers run on a developer's own machine.
OUTBOUND_ALLOW_LOOPBACK = env_bool("OUTBOUND_ALLOW_LOOPBACK", CITYHALL_ENV == "development")
if IS_PRODUCTION and OUTBOUND_ALLOW_LOOPBACK:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("OUTBOUND_ALLOW_LOOPBACK is for development and tests only.")

# Open311 GeoReport v2: when set, requests naming another jurisdiction_id get 404.
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID", "")

# Accounts and sign-in.
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:sign_in"
LOGIN_REDIRECT_URL = "portal:account"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
SIGN_IN_LINK_MAX_AGE = env_int("SIGN_IN_LINK_MAX_AGE", 15 * 60, minimum=60, maximum=24 * 3600)
SIGN_IN_MAX_FAILURES = env_int("SIGN_IN_MAX_FAILURES", 5, minimum=1)
SIGN_IN_LOCKOUT_SECONDS = env_int("SIGN_IN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
# A personal access token made from a two-factor staff session acts as staff for at most this
# many days; ordinary tokens never act as staff.
STAFF_ACCESS_TOKEN_MAX_DAYS = env_int("STAFF_ACCESS_TOKEN_MAX_DAYS", 30, minimum=1, maximum=90)

# Retention (cityhall/privacy/retention.py): months each kind of personal data is kept before
# the daily `apply_retention_rules` deletes or anonymises it, by the rule's code. Every rule a
# domain declares in `<app>/retention.py` has its line here (a test checks it).
PRIVACY_RETENTION_MONTHS = {
    "servicerequests.closed_request_contacts": env_int(
        "PRIVACY_RETENTION_REQUEST_CONTACTS_MONTHS", 24, minimum=1, maximum=1200
    ),
    "notifications.delivery_log": env_int(
        "PRIVACY_RETENTION_DELIVERY_LOG_MONTHS", 12, minimum=1, maximum=1200
    ),
    "notifications.notifications": env_int(
        "PRIVACY_RETENTION_NOTIFICATIONS_MONTHS", 24, minimum=1, maximum=1200
    ),
    "integrations.webhook_delivery_log": env_int(
        "PRIVACY_RETENTION_WEBHOOK_LOG_MONTHS", 1, minimum=1, maximum=1200
    ),
    "core.audit_ip_addresses": env_int(
        "PRIVACY_RETENTION_AUDIT_IP_MONTHS", 12, minimum=1, maximum=1200
    ),
    "accounts.unverified_accounts": env_int(
        "PRIVACY_RETENTION_UNVERIFIED_ACCOUNTS_MONTHS", 1, minimum=1, maximum=1200
    ),
    "accounts.expired_sessions": env_int(
        "PRIVACY_RETENTION_EXPIRED_SESSIONS_MONTHS", 1, minimum=1, maximum=1200
    ),
    "appointments.guest_bookings": env_int(
        "PRIVACY_RETENTION_GUEST_BOOKINGS_MONTHS", 3, minimum=1, maximum=1200
    ),
    "appointments.guest_waiting_entries": env_int(
        "PRIVACY_RETENTION_GUEST_WAITING_ENTRIES_MONTHS", 1, minimum=1, maximum=1200
    ),
    "appointments.visit_contacts": env_int(
        "PRIVACY_RETENTION_VISIT_CONTACTS_MONTHS", 1, minimum=1, maximum=1200
    ),
    "alerts.unconfirmed_subscriptions": env_int(
        "PRIVACY_RETENTION_UNCONFIRMED_ALERT_SUBSCRIPTIONS_MONTHS", 1, minimum=1, maximum=1200
    ),
}

# Appointments' waiting list: how long a freed time is held for the person it is offered to,
# and on how many waiting lists one person may be at once.
APPOINTMENTS_WAITING_OFFER_MINUTES = env_int(
    "APPOINTMENTS_WAITING_OFFER_MINUTES", 30, minimum=5, maximum=24 * 60
)
APPOINTMENTS_WAITING_ENTRIES_PER_PERSON = env_int(
    "APPOINTMENTS_WAITING_ENTRIES_PER_PERSON", 3, minimum=1, maximum=50
)

# The virtual queue's rules (docs/queue.md): how long walk-ins may wait before a due appointment
# stops going first, when a checked-in appointment counts as late, how early check-in opens,
# open tickets per person, and how many of the first in line are told their turn is near.
QUEUE_WALK_IN_BOUND_MINUTES = env_int("QUEUE_WALK_IN_BOUND_MINUTES", 15, minimum=0, maximum=240)
QUEUE_LATE_AFTER_MINUTES = env_int("QUEUE_LATE_AFTER_MINUTES", 10, minimum=0, maximum=240)
QUEUE_CHECK_IN_OPENS_MINUTES = env_int("QUEUE_CHECK_IN_OPENS_MINUTES", 60, minimum=0, maximum=720)
QUEUE_MAX_OPEN_TICKETS_PER_PERSON = env_int(
    "QUEUE_MAX_OPEN_TICKETS_PER_PERSON", 2, minimum=1, maximum=20
)
QUEUE_NEARLY_NEXT_COUNT = env_int("QUEUE_NEARLY_NEXT_COUNT", 3, minimum=1, maximum=20)

# Internationalisation: English and French everywhere.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True
# Dates and times as the city writes them in each language (config/formats/<language>/).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Outside production, static files come straight from the apps (no collectstatic needed).
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
# Uploads (photos) go to MEDIA_ROOT, or to an S3 bucket when MEDIA_STORAGE_URL names one.
STORAGES = {
    "default": media_storage_settings(env_str("MEDIA_STORAGE_URL", "")),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The city this deployment serves.
CITYHALL_CITY_NAME = env_str("CITYHALL_CITY_NAME", "Rivière-aux-Saules")
CITYHALL_H3_RESOLUTION = env_int("CITYHALL_H3_RESOLUTION", 9, minimum=0, maximum=15)
# Links in emails must reach the site: production names its public address; the embedded runner
# (`make run`) sets the address it serves when none is given.
CITYHALL_BASE_URL = env_str("CITYHALL_BASE_URL", None if IS_PRODUCTION else "http://127.0.0.1:8000")
# Privacy (cityhall/privacy): the link to a copy of a person's data works, and the file is
# kept, for this many days; a confirmed account closure is carried out after this many days.
PRIVACY_EXPORT_DAYS = env_int("PRIVACY_EXPORT_DAYS", 7, minimum=1, maximum=30)
PRIVACY_CLOSURE_GRACE_DAYS = env_int("PRIVACY_CLOSURE_GRACE_DAYS", 7, minimum=0, maximum=90)

# Maps: tiles from this URL template ({z}/{x}/{y}, optional {s}) when set; without it the
# request form's map draws the city's districts only. The origin is allowed for images.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")

# Upstream authorities' alert feeds (Atom or CAP, comma-separated URLs), polled every two
# minutes; their alerts are offered to communications officers to re-broadcast locally.
ALERTS_UPSTREAM_FEEDS = env_list("ALERTS_UPSTREAM_FEEDS", [])
# Alert targeting (docs/alerts-targeting.md): how far past an area's edge people are still
# alerted, and the H3 resolution subscribers' cells are stored at (changing it needs their
# cells recomputed).
ALERT_AREA_MARGIN_METRES = env_int("ALERT_AREA_MARGIN_METRES", 100, minimum=0, maximum=10_000)
ALERT_SUBSCRIBER_H3_RESOLUTION = env_int("ALERT_SUBSCRIBER_H3_RESOLUTION", 9, minimum=5, maximum=12)
# Photos attached to requests: the largest accepted file (bytes), before re-encoding.
REQUEST_PHOTO_MAX_BYTES = env_int(
    "REQUEST_PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=100_000, maximum=50 * 1024 * 1024
)
# Five photos and the form fit; anything larger is refused before it is read.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# All photos kept between two tries of a form together (bytes); past it none more are kept.
PENDING_PHOTOS_MAX_BYTES = env_int(
    "PENDING_PHOTOS_MAX_BYTES", 500 * 1024 * 1024, minimum=1024 * 1024
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # A header scheme comes first so that an anonymous call gets 401 with its challenge.
        "cityhall.accounts.authentication.ApiKeyAuthentication",
        "cityhall.accounts.authentication.PersonalAccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "cityhall.core.api_schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "cityhall.core.api.handle_api_exception",
    "DEFAULT_THROTTLE_CLASSES": ["cityhall.core.ratelimit.ApiRateThrottle"],
    # No OPTIONS self-description: the OpenAPI schema is the description (405 instead).
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_PAGINATION_CLASS": "cityhall.core.api_pagination.PageNumberPagination",
    # JSON nested past any real body is a 400, not a RecursionError; forms stay as DRF's.
    "DEFAULT_PARSER_CLASSES": [
        "cityhall.core.api_inputs.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CityHall API",
    "DESCRIPTION": (
        "The city's services catalog, service requests and places. Errors always read "
        '`{"error": {"code", "message", "fields"}}`; 429 answers carry Retry-After.'
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}
# Hits allowed per window (cityhall/core/ratelimit.py): "N/second|minute|hour|day" or "off".
# api.* apply to /api/v1, open311.* to /open311/v2; "callers" count per key, token or account,
# "addresses" per client IP address.
RATE_LIMITS = {
    "api.callers": env_str("RATE_LIMIT_API_CALLERS", "600/minute"),
    "api.addresses": env_str("RATE_LIMIT_API_ADDRESSES", "1200/minute"),
    "open311.callers": env_str("RATE_LIMIT_OPEN311_CALLERS", "600/minute"),
    "open311.addresses": env_str("RATE_LIMIT_OPEN311_ADDRESSES", "1200/minute"),
    # notifications.<channel>: messages sent on that channel by all workers together.
    "notifications.email": env_str("RATE_LIMIT_NOTIFICATIONS_EMAIL", "off"),
    "notifications.sms": env_str("RATE_LIMIT_NOTIFICATIONS_SMS", "off"),
    "notifications.web_push": env_str("RATE_LIMIT_NOTIFICATIONS_WEB_PUSH", "off"),
    # Appointments booked without an account (each holds a time until confirmed), per address.
    "appointments.guest_bookings": env_str("RATE_LIMIT_GUEST_BOOKINGS", "10/hour"),
    # Walk-in tickets taken on the portal without an account that leave a contact, per address.
    "queue.portal_tickets": env_str("RATE_LIMIT_QUEUE_PORTAL_TICKETS", "10/hour"),
    # Alert subscriptions by address or postal code without an account (each sends a link).
    "alerts.subscriptions": env_str("RATE_LIMIT_ALERT_SUBSCRIPTIONS", "10/hour"),
}

# Reverse proxies of the city's own in front of the web server (cityhall/core/client_address.py):
# the client's address is read that many entries from the right of X-Forwarded-For. 0 means
# none: the peer address is the client's. Set it to the number of proxies, never more.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=10)

# Security headers; production is served over HTTPS behind a proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", IS_PRODUCTION)
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if IS_PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = IS_PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Staff access with a reason (cityhall/servicerequests/services/contact_reveals.py): once a staff
# member gives a reason for opening a citizen's contact details, they stay shown to them on that
# request for this many minutes. The privacy officer's page flags anyone who opens more requests
# than STAFF_READS_UNUSUAL_PER_HOUR in one hour.
CONTACT_REVEAL_MINUTES = env_int("CONTACT_REVEAL_MINUTES", 30, minimum=1, maximum=480)
STAFF_READS_UNUSUAL_PER_HOUR = env_int("STAFF_READS_UNUSUAL_PER_HOUR", 30, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
