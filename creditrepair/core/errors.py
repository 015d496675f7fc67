"""One error hierarchy for the whole platform.

Services raise these; the DRF exception handler (``creditrepair.api.errors``)
and the HTML views render them. Each carries the contract's machine code
(``../shared/docs/api.md``), a translatable message and optional details.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base class: a request the platform refuses, with a machine code."""

    status = 400
    code = "invalid"
    default_message = _("请求无效。")

    def __init__(self, message=None, *, code=None, details=None):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.details = details or {}
        super().__init__(str(self.message))

    def as_body(self):
        return {"code": self.code, "message": str(self.message), "details": self.details}


class InvalidInput(DomainError):
    """Bad input: field errors go in ``details`` (field → list of messages)."""

    status = 400
    code = "invalid"


class InvalidCode(InvalidInput):
    code = "invalid_code"
    default_message = _("统一社会信用代码或身份证号码校验不通过。")


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"
    default_message = _("您无权执行此操作。")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("未找到。")


class Conflict(DomainError):
    """The request conflicts with the state of things or is refused by a rule."""

    status = 409
    code = "conflict"
    default_message = _("请求与当前状态冲突。")


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _("当前状态下不允许此操作。")


class RuleRefusal(Conflict):
    """Refused by a rule of the rule set in force; ``code`` names the rule."""

    default_message = _("根据现行规则，申请不予受理。")


class FileRejected(DomainError):
    status = 415
    code = "file_type"
    default_message = _("仅接受 PDF、JPEG 或 PNG 文件。")


class FileTooLarge(DomainError):
    status = 413
    code = "file_too_large"
    default_message = _("文件过大。")
