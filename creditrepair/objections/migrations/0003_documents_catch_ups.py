"""The catch-up's run counter, and a first check of the cases filed before cases were marked as owed documents
(``0002``): each is marked once, the catch-up issues what its state requires and is missing, and unmarks it."""

from django.db import migrations, models
from django.utils import timezone


def mark_cases_filed_before_the_mark(apps, schema_editor):
    case = apps.get_model("objections", "Objection")
    case.objects.filter(documents_due_at__isnull=True).update(documents_due_at=timezone.now())


class Migration(migrations.Migration):

    dependencies = [
        ('objections', '0002_applicant_notices_and_documents_due'),
    ]

    operations = [
        migrations.AddField(
            model_name='objection',
            name='documents_catch_ups',
            field=models.PositiveSmallIntegerField(db_default=0, default=0, editable=False, help_text='巡检补发出具任务的次数；达到上限后不再自动补发，由运维人员排查后重新出具', verbose_name='补出具次数'),
        ),
        migrations.RunPython(mark_cases_filed_before_the_mark, migrations.RunPython.noop),
    ]
