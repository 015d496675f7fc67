"""System checks: WeasyPrint needs Pango, and Chinese text needs a CJK font.

Without a CJK font WeasyPrint renders tofu boxes silently, so this is an error.
"""

import shutil
import subprocess

from django.core.checks import Error, Warning

PREFERRED_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")


def cjk_font_families() -> list[str] | None:
    """Font families fontconfig knows that cover Chinese; None if it cannot be asked."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    families = set()
    for line in result.stdout.splitlines():
        families.update(name.strip() for name in line.split(",") if name.strip())
    return sorted(families)


def weasyprint_problem() -> str | None:
    """Why WeasyPrint cannot be imported (missing or too old Pango), or None."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def check_weasyprint(app_configs=None, **kwargs):
    problem = weasyprint_problem()
    if problem is None:
        return []
    return [
        Error(
            "WeasyPrint cannot be loaded, so no PDF document can be generated: Pango is missing or too old.",
            hint=f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 (Pango >= 1.44). {problem}",
            id="documents.E002",
        )
    ]


def check_cjk_fonts(app_configs=None, **kwargs):
    families = cjk_font_families()
    if not families:
        detail = "fc-list is not available" if families is None else "fc-list :lang=zh lists none"
        return [
            Error(
                f"No Chinese (CJK) font is installed ({detail}): WeasyPrint renders tofu boxes silently.",
                hint="apt-get install fonts-noto-cjk",
                id="documents.E001",
            )
        ]
    if not any(name in families for name in PREFERRED_FAMILIES):
        return [
            Warning(
                "The document templates use Noto Serif/Sans CJK SC, which is not installed; "
                f"another CJK font will be substituted ({families[0]}).",
                hint="apt-get install fonts-noto-cjk",
                id="documents.W001",
            )
        ]
    return []
