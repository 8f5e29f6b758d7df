"""Township, StaffProfile, Employer and Person now belong to core (core 0001): cases' own
foreign keys point there and the models leave cases' state. State only: no SQL."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_person_phone_index"),
        ("core", "0001_initial"),
        # Every foreign key to these models points at core's before they leave cases.
        ("notifications", "0011_kernel_moved_to_core"),
        ("workflows", "0006_kernel_moved_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="employer",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="core.employer",
                        verbose_name="用人单位",
                    ),
                ),
                migrations.AlterField(
                    model_name="claim",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="claims",
                        to="core.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="personaldataaccess",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.person",
                        verbose_name="劳动者",
                    ),
                ),
                migrations.RemoveField(
                    model_name="staffprofile",
                    name="townships",
                ),
                migrations.RemoveField(
                    model_name="staffprofile",
                    name="user",
                ),
                migrations.AlterField(
                    model_name="case",
                    name="township",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.township",
                        verbose_name="乡镇",
                    ),
                ),
                migrations.DeleteModel(
                    name="Employer",
                ),
                migrations.DeleteModel(
                    name="Person",
                ),
                migrations.DeleteModel(
                    name="StaffProfile",
                ),
                migrations.DeleteModel(
                    name="Township",
                ),
            ],
            database_operations=[],
        ),
    ]
