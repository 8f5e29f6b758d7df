"""The shared kernel's data: townships, staff profiles, employers and workers (Person).

Every app reads them; core owns them. The tables keep the names they had when they lived
in cases/ (Meta.db_table), so the move to core moved no data.
"""

import unicodedata

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pii, validators


class Township(models.Model):
    """A township, town or the development zone of the county: the unit of jurisdiction."""

    rule_cache_watched = True  # rules.memo caches the townships (rules.triggers)

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=32, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        db_table = "cases_township"
        ordering = ["sort_order", "code"]
        verbose_name = verbose_name_plural = "乡镇"

    def __str__(self):
        return self.name


class Village(models.Model):
    """An administrative village or a community under a township (村/社区): the level
    below the township, loaded by the administrator from a spreadsheet. The village
    employment stewards (就业管家) assigned to it keep its people in the re-employment
    ledger (employment.access)."""

    class Kind(models.TextChoices):
        VILLAGE = "village", "行政村"
        COMMUNITY = "community", "社区"

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="villages", verbose_name="乡镇"
    )
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50)
    kind = models.CharField("类别", max_length=10, choices=Kind, default=Kind.VILLAGE)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    # The village employment stewards (就业管家) who keep this village's people.
    stewards = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="employment_villages",
        verbose_name="就业管家",
    )

    class Meta:
        ordering = ["township__sort_order", "sort_order", "code"]
        verbose_name = verbose_name_plural = "村（社区）"
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="village_name_unique")
        ]

    def __str__(self):
        return f"{self.township.name}{self.name}" if self.township_id else self.name


class StaffProfile(models.Model):
    """The townships a staff user works for; county-level users see all of them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    townships = models.ManyToManyField(Township, blank=True, verbose_name="所属乡镇")
    county_level = models.BooleanField("县级(全县可见)", default=False)
    phone = pii.EncryptedTextField("电话", blank=True)

    class Meta:
        db_table = "cases_staffprofile"
        verbose_name = verbose_name_plural = "工作人员辖区"

    def __str__(self):
        return str(self.user)


def normalize_name(name: str) -> str:
    """Employer names as typed by workers vary in width, spacing and punctuation."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(ch for ch in text if ch.isalnum())


class Employer(models.Model):
    class Sector(models.TextChoices):
        CONSTRUCTION = "construction", _("建筑施工")
        STEEL_COKE = "steel_coke", _("钢铁焦化")
        MINING = "mining", _("采矿")
        MANUFACTURING = "manufacturing", _("制造业")
        SERVICES = "services", _("服务业")
        AGRICULTURE = "agriculture", _("农业")
        TRANSPORT = "transport", _("交通运输物流")
        OTHER = "other", _("其他")

    class SizeClass(models.TextChoices):
        MICRO = "micro", "微型"
        SMALL = "small", "小型"
        MEDIUM = "medium", "中型"
        LARGE = "large", "大型"

    name = models.CharField("名称", max_length=200)
    normalized_name = models.CharField(max_length=200, db_index=True, editable=False)
    uscc = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validators.validate_uscc],
    )
    address = models.CharField("地址", max_length=300, blank=True)
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, verbose_name="乡镇"
    )
    sector = models.CharField("行业", max_length=20, choices=Sector, default=Sector.OTHER)
    size_class = models.CharField("规模", max_length=10, choices=SizeClass, blank=True)
    state_owned_or_government_project = models.BooleanField("政府投资或国企项目", default=False)
    closed_under_policy = models.BooleanField("产业政策关停企业", default=False)
    blacklisted_until = models.DateField("欠薪黑名单截止日", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_employer"
        verbose_name = verbose_name_plural = "用人单位"
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=~models.Q(uscc=""), name="employer_uscc_unique"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Derived column for duplicate detection; always in step with the name.
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)

    def is_blacklisted(self, on=None) -> bool:
        on = on or timezone.localdate()
        return bool(self.blacklisted_until and self.blacklisted_until >= on)


class PersonQuerySet(models.QuerySet):
    def with_id_number(self, id_number: str):
        """The person with this ID number, found through its blind index."""
        return self.filter(id_number_index=pii.blind_index(id_number))

    def with_phone(self, phone: str):
        """The people with this (clean, 11-digit) phone, through its blind index."""
        return self.filter(phone_index=pii.blind_index(phone))


class Person(models.Model):
    """A worker (claimant). The full ID number is shown only where a role needs it.

    ID number and phone are stored encrypted (core/pii.py); a person is found by the
    blind index of the ID number, `Person.objects.with_id_number(n)`, or of the phone,
    `Person.objects.with_phone(p)`.
    """

    name = models.CharField("姓名", max_length=50)
    id_number = pii.EncryptedTextField("身份证号", validators=[validators.validate_ric])
    id_number_index = pii.BlindIndexField("身份证号索引", source="id_number", unique=True)
    phone = pii.EncryptedTextField("手机号", blank=True)
    # Staff find a worker by phone (cases.selectors.case_queue); not unique: a family
    # may share one.
    phone_index = pii.BlindIndexField("手机号索引", source="phone", blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        db_table = "cases_person"
        verbose_name = verbose_name_plural = "劳动者"

    def __str__(self):
        return f"{self.name} ({self.id_number_masked})"

    @property
    def id_number_masked(self) -> str:
        return validators.mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return validators.mask_phone(self.phone)
