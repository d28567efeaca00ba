import hashlib

from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    """Existing feed URLs keep working: their token is replaced by its SHA-256, which the feeds now compare."""
    CalendarToken = apps.get_model("reunions", "CalendarToken")
    for row in CalendarToken.objects.all().only("pk", "token_hash"):
        row.token_hash = hashlib.sha256(row.token_hash.encode()).hexdigest()
        row.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("reunions", "0004_private_document_storage"),
    ]

    operations = [
        migrations.RenameField(model_name="calendartoken", old_name="token", new_name="token_hash"),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="calendartoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="empreinte du jeton"),
        ),
    ]
