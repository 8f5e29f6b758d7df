"""Web pages: the worker portal (portal.py) and the staff workbench (workbench.py,
files.py). The JSON API lives in cases/api.py; both call the same services."""
