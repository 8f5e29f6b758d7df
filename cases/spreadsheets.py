# moved to core.spreadsheets; re-export kept while branches merge
from core.spreadsheets import *  # noqa: F403
