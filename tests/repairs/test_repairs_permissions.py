"""Who may see and act on a repair case: each role only its own, over the services and the API."""

import pytest

from creditrepair.core.errors import NotFound, PermissionDenied
from creditrepair.repairs import services
from creditrepair.repairs.selectors import case_for, repairs_visible_to

from tests import factories


@pytest.fixture
def accepted_case(ent_user, operator, repairable_record, walk):
    return walk.accepted(ent_user, repairable_record(), operator)


def test_each_role_sees_only_its_own_cases(accepted_case, ent_user, other_ent_user, dept_user, other_dept_user,
                                          operator, court_staff):
    assert list(repairs_visible_to(ent_user)) == [accepted_case]
    assert list(repairs_visible_to(dept_user)) == [accepted_case]
    assert list(repairs_visible_to(operator)) == [accepted_case]
    for stranger in (other_ent_user, other_dept_user, court_staff):
        assert not repairs_visible_to(stranger).exists()
        with pytest.raises(NotFound):
            case_for(stranger, accepted_case.pk)


def test_a_department_cannot_act_on_another_departments_case(accepted_case, other_dept_user):
    for action in (lambda: services.repair_approve(other_dept_user, accepted_case, "同意"),
                   lambda: services.repair_deny(other_dept_user, accepted_case, "不同意"),
                   lambda: services.repair_extend(other_dept_user, accepted_case, "延期"),
                   lambda: services.repair_revoke(other_dept_user, accepted_case, "撤销")):
        with pytest.raises(NotFound):
            action()
    accepted_case.refresh_from_db()
    assert accepted_case.status == "accepted"


def test_the_operator_cannot_decide_for_the_department(accepted_case, operator):
    with pytest.raises(PermissionDenied) as refused:
        services.repair_approve(operator, accepted_case, "同意")
    assert refused.value.code == "forbidden"
    accepted_case.refresh_from_db()
    assert accepted_case.status == "accepted"


def test_only_the_operator_accepts_or_refuses(ent_user, dept_user, repairable_record, walk):
    case = walk.submitted(ent_user, repairable_record())
    for actor in (ent_user, dept_user):
        with pytest.raises(PermissionDenied):
            services.repair_accept(actor, case)
        with pytest.raises(PermissionDenied):
            services.repair_refuse(actor, case, "不予受理")


def test_a_subject_cannot_file_or_act_for_another_subject(other_ent_user, ent_user, repairable_record):
    record = repairable_record()
    with pytest.raises(PermissionDenied):
        services.repair_file(other_ent_user, record, "冒名申请")
    case = services.repair_file(ent_user, record, "申请修复")
    with pytest.raises(NotFound):
        services.repair_submit(other_ent_user, case)
    with pytest.raises(NotFound):
        services.repair_withdraw(other_ent_user, case)


def test_a_subject_user_cannot_decide_its_own_case(accepted_case, ent_user):
    with pytest.raises(PermissionDenied):
        services.repair_approve(ent_user, accepted_case, "自己同意")


def test_a_second_user_of_the_same_subject_may_act_for_it(enterprise, repairable_record):
    colleague = factories.subject_user(enterprise)
    case = services.repair_file(colleague, repairable_record(), "申请修复")
    assert case.created_by == colleague


# --------------------------------------------------------------------------- over the API


def test_over_the_api_another_subject_gets_404_for_a_case(accepted_case, api, other_ent_user):
    api.as_user(other_ent_user)
    assert api.get(f"/api/v1/repairs/{accepted_case.pk}").status_code == 404
    assert api.get("/api/v1/repairs").json()["count"] == 0
    response = api.post(f"/api/v1/repairs/{accepted_case.pk}/withdraw")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_over_the_api_another_department_gets_404_and_the_operator_403_on_approve(accepted_case, api,
                                                                                  other_dept_user, operator):
    response = api.as_user(other_dept_user).post(f"/api/v1/repairs/{accepted_case.pk}/approve", {"reason": "同意"},
                                                 format="json")
    assert response.status_code == 404
    response = api.as_user(operator).post(f"/api/v1/repairs/{accepted_case.pk}/approve", {"reason": "同意"},
                                          format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_documents_download_only_for_who_may_see_the_case(accepted_case, api, ent_user, other_ent_user,
                                                          other_dept_user):
    from creditrepair.repairs.selectors import case_documents

    document = case_documents(accepted_case).first()
    url = f"/api/v1/documents/{document.pk}/download"
    response = api.as_user(ent_user).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for stranger in (other_ent_user, other_dept_user):
        assert api.as_user(stranger).get(url).status_code == 404


def test_available_actions_follow_the_step_and_the_role(ent_user, operator, dept_user, other_dept_user,
                                                        repairable_record, walk):
    from creditrepair.repairs.selectors import available_actions

    case = walk.filed(ent_user, repairable_record())
    assert available_actions(ent_user, case) == ["sign_commitment", "upload_material", "record_training", "submit",
                                                 "withdraw"]
    assert available_actions(operator, case) == [] and available_actions(dept_user, case) == []
    case = walk.accepted(ent_user, repairable_record(), operator)
    assert available_actions(dept_user, case) == ["record_training", "record_interview", "extend", "approve", "deny"]
    assert available_actions(operator, case) == ["record_training"]
    assert available_actions(other_dept_user, case) == []
    assert available_actions(ent_user, case) == ["withdraw"]
    services.repair_extend(dept_user, case, "核查")
    assert "extend" not in available_actions(dept_user, case)
    services.repair_approve(dept_user, case, "同意")
    assert available_actions(operator, case) == ["revoke"] and available_actions(ent_user, case) == []
