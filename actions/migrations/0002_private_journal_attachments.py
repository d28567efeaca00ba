"""Journal attachments move from the default (public) storage to the private one, files included."""

import actions.models
import core.storage
from django.db import migrations, models


def move_attachments_to_private_storage(apps, schema_editor):
    from django.core.files.storage import default_storage

    private = core.storage.private_storage()
    JournalEntry = apps.get_model("actions", "JournalEntry")
    for name in JournalEntry.objects.exclude(attachment="").values_list("attachment", flat=True).iterator():
        if private.exists(name) or not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as handle:
            saved = private.save(name, handle)
        assert saved == name, (saved, name)
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="journalentry",
            name="attachment",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=core.storage.private_storage,
                upload_to=actions.models.journal_attachment_path,
                verbose_name="pièce jointe",
            ),
        ),
        migrations.RunPython(move_attachments_to_private_storage, migrations.RunPython.noop, elidable=True),
    ]
