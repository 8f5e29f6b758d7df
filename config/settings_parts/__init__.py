"""Blocks of the settings that stand on their own, one module per concern.

config/settings.py stays the settings module (DJANGO_SETTINGS_MODULE=config.settings)
and imports every setting from here by name, so the list there is the table of contents
and `grep -rn NAME config/` finds where a setting is made. Each block reads the
environment itself, through the readers of base.py.
"""
