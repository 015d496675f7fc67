"""The Content-Security-Policy in a real browser: the pages, the Django admin and Swagger UI work under it
with no violation (a blocked inline script or style would show up as a ``securitypolicyviolation`` event)."""

import pytest
from django.conf import settings

from tests import factories
from tests.browser import browser_page, login, shot  # noqa: F401  (browser_page is a fixture)

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


def _visit(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations")


@pytest.mark.browser
def test_pages_admin_and_swagger_run_under_the_csp_without_violations(transactional_db, live_server, browser_page):
    page = browser_page
    page.add_init_script(WATCH_VIOLATIONS)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

    for path in ("/", "/lookup/", "/status/", "/login/"):
        assert _visit(page, f"{live_server.url}{path}") == [], path

    # Swagger UI: self-hosted, started by a script file; it must actually draw the operations.
    assert _visit(page, f"{live_server.url}/api/v1/docs/") == []
    page.wait_for_selector(".opblock", timeout=20_000)
    shot(page, "security", "swagger-under-csp")

    # The admin: its login, index, a change list and an add form (with their JavaScript).
    admin = factories.operator_user(is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")
    for path in ("/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/admin/registry/subject/add/"):
        assert _visit(page, f"{live_server.url}{path}") == [], path
    assert page.evaluate("typeof django !== 'undefined' && typeof django.jQuery === 'function'")  # admin JS loaded
    shot(page, "security", "admin-under-csp")

    # A staff page after logging in through the site's own form.
    login(page, live_server, factories.department_user().username, settings.DEMO_PASSWORD)
    assert _visit(page, f"{live_server.url}/staff/objections/") == []
    assert refused == []
