"""Test settings: the embedded default with faster hashing and private folders for files and keys.

A test run and its Celery worker (the PostgreSQL pass of .ci/run) share MEDIA_ROOT
through the environment, and with it the demo signing certificate.
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="creditrepair-media-"))
DOCUMENT_SIGNING_DIR = Path(os.environ.get("DOCUMENT_SIGNING_DIR") or MEDIA_ROOT / ".signing")
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
