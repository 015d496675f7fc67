"""Subjects are identified by a checksummed code: USCC (GB 32100) or resident ID (GB 11643)."""

import pytest

from creditrepair.core.errors import InvalidCode
from creditrepair.registry.services import subject_code_lookup_normalize, subject_code_normalize, subject_upsert
from tests.factories import valid_resident_id, valid_uscc

USCC = valid_uscc(serial=4242)
RID = valid_resident_id(serial=7)


def one_off(code):
    """The same code with its check character changed."""
    last = code[-1]
    return code[:-1] + ("1" if last != "1" else "2")


def test_a_valid_uscc_is_accepted():
    assert subject_code_normalize(USCC, "legal_person") == USCC


def test_a_uscc_with_one_character_off_is_refused():
    with pytest.raises(InvalidCode) as exc:
        subject_code_normalize(one_off(USCC), "legal_person")
    assert exc.value.code == "invalid_code"
    assert "code" in exc.value.details


def test_a_uscc_of_the_wrong_length_is_refused():
    with pytest.raises(InvalidCode):
        subject_code_normalize(USCC[:-1], "legal_person")


def test_a_lowercase_uscc_is_accepted_and_stored_uppercase():
    assert subject_code_normalize(USCC.lower(), "other_org") == USCC


def test_a_valid_resident_id_is_accepted_for_a_person():
    assert subject_code_normalize(RID, "natural_person") == RID


def test_a_resident_id_with_a_wrong_check_digit_is_refused():
    with pytest.raises(InvalidCode):
        subject_code_normalize(one_off(RID), "natural_person")


def test_a_resident_id_of_the_wrong_length_is_refused():
    with pytest.raises(InvalidCode):
        subject_code_normalize(RID[:17], "natural_person")


def test_a_lowercase_x_check_digit_is_accepted():
    code = next(c for c in (valid_resident_id(serial=n) for n in range(1, 400)) if c.endswith("X"))
    assert subject_code_normalize(code.lower(), "natural_person") == code


def test_an_enterprise_code_is_not_a_resident_id():
    with pytest.raises(InvalidCode):
        subject_code_normalize(USCC, "natural_person")


def test_the_lookup_accepts_either_kind_of_code():
    assert subject_code_lookup_normalize(USCC.lower()) == USCC
    assert subject_code_lookup_normalize(RID) == RID
    with pytest.raises(InvalidCode):
        subject_code_lookup_normalize("12345")


@pytest.mark.django_db
def test_upsert_keeps_one_subject_per_code_and_follows_renames():
    first = subject_upsert(code=USCC, name="雅安旧名有限公司", type="legal_person")
    again = subject_upsert(code=USCC.lower(), name="雅安新名有限公司", type="legal_person")
    assert first.pk == again.pk
    again.refresh_from_db()
    assert again.name == "雅安新名有限公司"
