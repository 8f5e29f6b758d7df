"""Write the shipped Word templates of the statutory documents again.

    python manage.py document_templates [--output DIR]

The files in cases/document_templates/ are committed; run this after changing the
builders in cases/documents.py (a clerk's edits made in Word are lost by a rebuild).
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from cases import documents


class Command(BaseCommand):
    help = "Regenerate the .docx templates of the statutory documents."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=documents.TEMPLATE_DIR)

    def handle(self, *args, output, **options):
        for path in documents.build_templates(output):
            self.stdout.write(f"wrote {path}")
