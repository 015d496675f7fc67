"""Rule sets are read-only in the admin: the files are the source."""

import pytest
from django.contrib import admin

from creditrepair.rules.models import RuleSet

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.rules.rules_admin_urls")]


def test_nobody_may_add_change_or_delete_a_rule_set_even_a_superuser(rf, admin_user):
    model_admin = admin.site._registry[RuleSet]
    request = rf.get("/admin/rules/ruleset/")
    request.user = admin_user
    rule_set = RuleSet.objects.get(code="national-2026")
    assert model_admin.has_view_permission(request, rule_set)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, rule_set)
    assert not model_admin.has_delete_permission(request, rule_set)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_the_list_filters_by_jurisdiction(admin_client):
    response = admin_client.get("/admin/rules/ruleset/", {"jurisdiction": "511800"})
    assert response.status_code == 200
    rows = list(response.context["cl"].queryset.values_list("code", flat=True))
    assert rows == ["yaan-local"]


def test_the_detail_page_shows_the_document_pretty_printed_without_a_save_button(admin_client):
    rule_set = RuleSet.objects.get(code="yaan-local")
    response = admin_client.get(f"/admin/rules/ruleset/{rule_set.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<pre" in page
    assert '&quot;min_months_since_last_repair&quot;: 12' in page
    assert "雅安市" in page
    assert 'name="_save"' not in page


def test_adding_or_deleting_through_the_admin_is_forbidden(admin_client):
    rule_set = RuleSet.objects.get(code="national-2026")
    assert admin_client.get("/admin/rules/ruleset/add/").status_code == 403
    assert admin_client.post(f"/admin/rules/ruleset/{rule_set.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.post(f"/admin/rules/ruleset/{rule_set.pk}/change/", {"name": "x"}).status_code == 403
    assert RuleSet.objects.get(code="national-2026").name != "x"
