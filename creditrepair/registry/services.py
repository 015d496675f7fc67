"""Writes on the registry: validated subject codes."""

from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from creditrepair.core.errors import InvalidCode, InvalidInput

from .models import Subject, SubjectType


def subject_code_normalize(code: str, subject_type: str) -> str:
    """Validate a subject's code by its checksum and return it in canonical form.

    Organisations carry the unified social credit code (GB 32100, ``cn.uscc``);
    natural persons the 18-digit resident ID number (GB 11643, ``cn.ric``).
    Lower-case letters are accepted and upper-cased, as on paper forms.
    """
    if subject_type not in SubjectType.values:
        raise InvalidInput(details={"type": [_("未知的主体类型。")]})
    validator = ric if subject_type == SubjectType.NATURAL_PERSON else uscc
    try:
        return validator.validate(validator.compact(code or ""))
    except StdnumError:
        if subject_type == SubjectType.NATURAL_PERSON:
            message = _("身份证号码“%(code)s”校验不通过。") % {"code": code}
        else:
            message = _("统一社会信用代码“%(code)s”校验不通过。") % {"code": code}
        raise InvalidCode(message, details={"code": [message]}) from None


def subject_upsert(*, code: str, name: str, type: str) -> Subject:
    """Find a subject by its validated code, creating it or bringing its name up to date."""
    code = subject_code_normalize(code, type)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(details={"name": [_("名称不能为空。")]})
    subject, created = Subject.objects.get_or_create(code=code, defaults={"name": name, "type": type})
    if not created:
        if subject.type != type:
            raise InvalidInput(
                _("该代码已登记为其他主体类型。"), details={"type": [_("与已登记的主体类型不一致。")]}
            )
        if subject.name != name:
            subject.name = name
            subject.save(update_fields=["name"])
    return subject


def subject_code_lookup_normalize(code: str) -> str:
    """Normalise a code typed into a lookup, which may be a USCC or a resident ID number."""
    try:
        return subject_code_normalize(code, SubjectType.NATURAL_PERSON)
    except InvalidCode:
        pass
    try:
        return subject_code_normalize(code, SubjectType.LEGAL_PERSON)
    except InvalidCode:
        raise InvalidCode(_("代码校验不通过，请核对统一社会信用代码。")) from None
