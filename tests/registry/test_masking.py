"""Natural persons are masked wherever the public sees them (domain §6)."""

from creditrepair.registry.models import Subject
from creditrepair.registry.selectors import mask_id_number, mask_name, subject_public_view


def test_a_name_is_shown_as_surname_and_a_star():
    assert mask_name("李建国") == "李*"


def test_an_id_number_keeps_only_its_first_and_last_four():
    assert mask_id_number("51310119850312123X") == "5131**********123X"


def test_an_enterprise_is_shown_in_full_and_a_person_masked():
    ent = Subject(code="91511800MA00000011", name="雅安茶业有限公司", type="legal_person")
    person = Subject(code="51310119850312123X", name="李建国", type="natural_person")
    assert subject_public_view(ent)["name"] == "雅安茶业有限公司"
    assert subject_public_view(person) == {"code": "5131**********123X", "name": "李*", "type": "natural_person"}
