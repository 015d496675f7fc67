"""信用修复与异议处理 — credit repair and objection handling."""

from .celery import app as celery_app

__all__ = ["celery_app"]
