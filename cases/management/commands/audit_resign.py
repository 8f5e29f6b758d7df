"""Sign every intact case-history chain again with the newest audit key.

After a key rotation (a new key first in LABORCASE_AUDIT_KEYS, the old one still
listed), run this, then drop the old key. Broken chains are not re-signed (that would
hide the break): they are listed and the exit status is 1.
"""

from django.core.management.base import BaseCommand, CommandError

from cases import audit


class Command(BaseCommand):
    help = "Re-sign the case event hash chains with the newest LABORCASE_AUDIT_KEYS key."

    def handle(self, *args, **options):
        resigned, breaks = audit.chains_resign()
        self.stdout.write(f"re-signed {resigned} events with key {audit.current_key_id()}")
        for item in breaks:
            self.stderr.write(f"BROKEN (left as it is) {item}")
        if breaks:
            raise CommandError(f"{len(breaks)} broken chain(s) not re-signed")
