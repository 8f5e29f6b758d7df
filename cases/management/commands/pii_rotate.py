"""Re-encrypt every personal-data column under the newest key and recompute the indexes.

Key rotation: put the new Fernet key first in LABORCASE_PII_KEYS (keep the old ones
after it), run this command, then drop the old keys. A new LABORCASE_PII_INDEX_KEY is
rotated the same way: set it, run this command (the values are decrypted, not looked up),
in a maintenance window: until the command ends, look-ups by ID number miss the rows it
has not reached yet.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from core import pii

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt ID numbers and phones under the newest key; recompute blind indexes."

    def handle(self, *args, **options):
        for model, encrypted, indexes in pii.encrypted_models():
            count = self._rotate(model, encrypted, indexes)
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")

    def _rotate(self, model, encrypted, indexes) -> int:
        columns = encrypted + [f.attname for f in indexes]
        count, batch = 0, []
        with transaction.atomic():
            rows = model.objects.select_for_update().order_by("pk").only("pk", *encrypted)
            for row in rows.iterator(chunk_size=BATCH):
                for index in indexes:  # bulk_update writes attributes as they are
                    clear = getattr(row, index.source)
                    setattr(row, index.attname, pii.blind_index(clear) if clear else "")
                batch.append(row)
                if len(batch) == BATCH:
                    count += model.objects.bulk_update(batch, columns)
                    batch = []
            count += model.objects.bulk_update(batch, columns)
        return count
