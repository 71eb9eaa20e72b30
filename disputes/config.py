"""Default configuration: every key with a safe development value and no secrets."""

from __future__ import annotations


class Defaults:
    """Values used unless instance/config.py, the environment or a test overrides them."""

    SQLALCHEMY_DATABASE_URI = "sqlite:///disputes.sqlite"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    #: Milliseconds a statement waits for another connection's lock before the request is
    #: answered "busy, try again" (503) with what was typed kept.
    DATABASE_LOCK_TIMEOUT_MS = 5000
    #: SQLite: writers queue at a file lock beside the database, handed over the moment the last
    #: one commits (disputes/write_gate.py). Turn off where flock does not work (some network
    #: filesystems); SQLite's own busy waiting then orders the writers.
    SQLITE_WRITE_GATE = True
    SECRET_KEY: str | None = None
    #: Upload folder; relative paths are taken inside the instance folder.
    UPLOAD_FOLDER = "uploads"
    #: Largest request body (bytes), and most form fields, of any request but an upload: a
    #: urlencoded body is read and parsed whole, before any view runs (see disputes/limits.py).
    MAX_CONTENT_LENGTH = 1024 * 1024
    MAX_FORM_PARTS = 5000
    BABEL_DEFAULT_LOCALE = "zh"
    #: The bureau's time zone, one without summer time: pages show times in it, and its offset
    #: from UTC draws every day boundary (disputes/calendar.py: deadlines, statistics, numbers).
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh", "en")
    #: Folder (inside instance/) with the bureau's own holiday data, one <year>.json per year.
    HOLIDAYS_FOLDER = "holidays"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: Set True when the site is served over HTTPS (directly or behind a TLS proxy): cookies
    #: then carry Secure. BEHIND_HTTPS is accepted as a synonym (security.py reads both).
    PREFER_HTTPS = False
    #: Number of reverse proxies in front of the app (0: none). When set, ProxyFix trusts that
    #: many X-Forwarded-For/-Proto hops, so the client IP (rate limits) and https scheme are real.
    PROXY_FIX = 0
    #: Redis, e.g. "redis://127.0.0.1:6379/0" (environment: REDIS_URL): when set, the rate-limit
    #: counters live there, shared by every worker.
    REDIS_URL: str | None = None
    #: Flask-Limiter's store; None: REDIS_URL if set, else "memory://", which counts per process
    #: and so is refused under gunicorn with more than one worker (gunicorn.conf.py).
    #: RATELIMIT_ENABLED = False switches every limit off (most tests).
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI: str | None = None
    #: When the store cannot be reached, count in each process's memory (Flask-Limiter logs a
    #: warning) instead of refusing every request; other store errors let the request through.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_KEY_PREFIX = "disputes"
    RATELIMIT_STRATEGY = "fixed-window"
    RATELIMIT_HEADERS_ENABLED = True
    #: Per client IP, POST only (limits syntax: "N per minute"; ";" separates several).
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_REGISTER = "5 per minute"
    RATELIMIT_ASSESSMENTS = "120 per minute"
    #: Failed logins allowed per client IP and login, in windows that grow (a back-off: after 5
    #: the next waits up to 15 minutes, after 10 up to 2 hours, after 20 up to a day). Another
    #: address, such as the account's owner, is not held up by them.
    RATELIMIT_LOGIN_FAILURES = "5 per 15 minutes; 10 per 2 hours; 20 per day"
    #: Hours a new account's one-time link (to set the first password) stays valid.
    INVITATION_VALID_HOURS = 72
    #: Forgotten passwords (auth/recovery.py): minutes a mailed reset link and a texted 6-digit
    #: code stay valid, and wrong codes allowed before a code is spent.
    PASSWORD_RESET_LINK_MINUTES = 30
    PASSWORD_RESET_CODE_MINUTES = 10
    PASSWORD_RESET_CODE_ATTEMPTS = 5
    #: Two-factor login (auth/two_factor.py): the name authenticator apps show, minutes between
    #: the right password and its code before the login must start again, and whether staff and
    #: admins must set it up before anything else (off by default, so demo logins keep working).
    TOTP_ISSUER = "三包争议处理"
    TOTP_LOGIN_MINUTES = 5
    TOTP_REQUIRED_FOR_STAFF = False
    #: A consumer registering with a mobile number confirms a texted 6-digit code before the
    #: account is opened (auth/phone_verification.py). None: on, except under TESTING (tests turn
    #: it on themselves). Codes last REGISTRATION_CODE_MINUTES, allow PASSWORD_RESET_CODE_ATTEMPTS
    #: wrong tries, and a new one may be asked after REGISTRATION_CODE_RESEND_SECONDS.
    REGISTRATION_SMS_VERIFICATION: bool | None = None
    REGISTRATION_CODE_MINUTES = 10
    REGISTRATION_CODE_RESEND_SECONDS = 60
    #: Codes texted to one mobile number for registration, from any address (POST only).
    RATELIMIT_REGISTRATION_CODES = "5 per hour"
    #: Requests for a reset: per client IP, and per client IP and login typed (POST only).
    RATELIMIT_FORGOT = "5 per minute; 20 per hour"
    RATELIMIT_FORGOT_LOGIN = "3 per hour"
    #: Reset codes typed, per client IP (POST only).
    RATELIMIT_RESET_CODE = "10 per minute"
    WTF_CSRF_TIME_LIMIT = None
    #: Prefix of case numbers, as in SJZ-2025-000123.
    CASE_NUMBER_PREFIX = "SJZ"
    #: The bureau's name on letters, receipts and case files.
    BUREAU_NAME = "某市市场监督管理局"
    #: How consumers reach the bureau (footer, /contact). The defaults are demo placeholders:
    #: set the real ones in instance/config.py and BUREAU_CONTACT_IS_DEMO = False, which removes
    #: the "示例" label the pages show next to them.
    BUREAU_PHONE = "0000-12345678"
    BUREAU_ADDRESS = "某市某区某某路 1 号 市场监督管理局 消费者权益保护科"
    BUREAU_HOURS = "工作日 9:00–12:00、13:30–17:00（法定节假日除外）"
    BUREAU_CONTACT_IS_DEMO = True
    #: Evidence limits per file and per case or draft.
    UPLOAD_MAX_FILE_BYTES = 10 * 1024 * 1024
    UPLOAD_MAX_FILES = 20
    #: Files chosen at once in one upload (wizard step 6, evidence and answers on the case page)
    #: may add up to this: a multipart post there may be that much (plus 1 MB) larger than
    #: MAX_CONTENT_LENGTH, which bounds every other request.
    UPLOAD_MAX_REQUEST_BYTES = 100 * 1024 * 1024
    #: Bytes one consumer's files may add up to, over their drafts and cases together.
    CONSUMER_MAX_UPLOAD_BYTES = 500 * 1024 * 1024
    #: Drafts one consumer may have open (not yet submitted) at a time.
    MAX_OPEN_DRAFTS = 5
    #: Years a finished case (closed, withdrawn, not accepted) is kept after it ended; then
    #: `flask --app disputes privacy purge` deletes it with its files.
    RETENTION_YEARS = 3
    #: Days an unsubmitted draft is kept after its last change; then `privacy purge` deletes it
    #: with its files.
    DRAFT_RETENTION_DAYS = 180
    #: Signed checkpoints of the audit chain's head (disputes/audit_checkpoints.py): the key (a
    #: string; when unset, the key file inside the instance folder, generated 0600 on first use),
    #: the append-only file of checkpoints, and how many entries apart they are written
    #: automatically (0: only by `audit checkpoint` and backups).
    AUDIT_CHECKPOINT_KEY: str | None = None
    AUDIT_CHECKPOINT_KEY_FILE = "audit_checkpoint_key"
    AUDIT_CHECKPOINTS_FILE = "audit-checkpoints.jsonl"
    AUDIT_CHECKPOINT_EVERY = 1000
    #: Working days allowed per stage of a case (instance/config.py may change them).
    #: mediation: Order 20 Art. 21(5), 45 working days from the acceptance, pauses excluded.
    #: The business's answer ("answer") runs from the notice of acceptance (2022 Art. 28;
    #: 2013 Art. 26).
    DEADLINE_WORKING_DAYS = {
        "screening": 7,
        "routing": 3,
        "opinion": 15,
        "mediation": 45,
        "answer": 10,
    }
    #: werkzeug password hash method (tests use a cheap one).
    PASSWORD_HASH_METHOD = "scrypt"
    #: Notifications (disputes/notifications/): False writes no inbox rows and no outbox.
    NOTIFICATIONS_ENABLED = True
    #: Working days a consumer has to answer a request for material: reminded two working days
    #: before and once it has passed (notifications/reminders.py, checked every 15 minutes).
    INFO_REPLY_WORKING_DAYS = 10
    #: The site's address as users reach it, for the links in e-mails and SMS.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    #: The task queue: HUEY_URL (or else REDIS_URL) "redis://..." uses RedisHuey; unset, or
    #: "sqlite:///<file>", SqliteHuey in HUEY_SQLITE_FILE (relative: inside instance/).
    HUEY_URL: str | None = None
    HUEY_NAME = "disputes"
    HUEY_SQLITE_FILE = "huey.sqlite"
    #: Outbox delivery: attempts before a message is given up (status failed), the backoff
    #: after the first failure (doubled after each, up to the maximum), and how long an attempt
    #: holds a message before another worker may retry it (a worker killed mid-send).
    OUTBOX_MAX_ATTEMPTS = 8
    OUTBOX_BACKOFF_SECONDS = 30
    OUTBOX_BACKOFF_MAX_SECONDS = 3600
    OUTBOX_LEASE_SECONDS = 300
    #: How e-mail leaves (notifications/channels.py MAIL_BACKENDS): "smtp" sends to MAIL_SERVER,
    #: "console" logs each mail, "file" appends it to MAIL_FILE inside instance/. None: "smtp"
    #: when MAIL_SERVER is set, else "console" (so `make run` needs no mail server).
    MAIL_BACKEND: str | None = None
    MAIL_FILE = "mail-outbox.jsonl"
    #: SMTP server for e-mail (MAIL_USE_TLS: STARTTLS; MAIL_USE_SSL: SMTPS).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "noreply@localhost"
    MAIL_TIMEOUT = 30
    #: SMS gateway (notifications/channels.py SMS_GATEWAYS): "console" logs each text, "file"
    #: appends it to SMS_FILE inside instance/, "aliyun" sends it (ALIYUN_SMS_* below).
    SMS_BACKEND = "console"
    SMS_FILE = "sms-outbox.jsonl"
    SMS_TIMEOUT = 10
    #: "aliyun" gateway (Alibaba Cloud SMS): the RAM key, the approved signature, and a template
    #: whose one variable ${content} takes the message text.
    ALIYUN_SMS_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
    ALIYUN_SMS_REGION = "cn-hangzhou"
    ALIYUN_SMS_ACCESS_KEY_ID: str | None = None
    ALIYUN_SMS_ACCESS_KEY_SECRET: str | None = None
    ALIYUN_SMS_SIGN_NAME: str | None = None
    ALIYUN_SMS_TEMPLATE_CODE: str | None = None
