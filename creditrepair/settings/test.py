"""Test settings: the same as the embedded default, faster hashing, a private media folder."""

import tempfile

from .base import *  # noqa: F401,F403
from .base import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=tempfile.mkdtemp(prefix="creditrepair-media-"))
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
