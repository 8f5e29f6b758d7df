"""Demo subsidy applications at every step of the approval flow (run after seed_demo).

    python manage.py seed_demo_subsidies

The job is demo/subsidies.py; safe to run again.
"""

from django.core.management.base import BaseCommand

from demo import subsidies
from demo.base import Demo


class Command(BaseCommand):
    help = "创建演示用补贴申请（各审批环节各有一件），需先运行 seed_demo。"

    def handle(self, *args, **options):
        subsidies.run(Demo(stdout=self.stdout, stderr=self.stderr))
