"""Password complexity for staff accounts (MLPS 2.0 level 3: length and character mix)."""

from django.core.exceptions import ValidationError

CLASSES_MESSAGE = "密码须至少包含大写字母、小写字母、数字、符号中的三类。"


class CharacterClassValidator:
    """At least `min_classes` of: upper-case, lower-case, digits, other characters."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(CLASSES_MESSAGE, code="password_too_simple")

    def get_help_text(self):
        return CLASSES_MESSAGE
