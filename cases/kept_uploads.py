"""Evidence a worker chose on the complaint form, kept across a failed submit.

A browser never re-sends the files of a page that came back with errors, so the worker
had to pick their photos again after any slip elsewhere on the form. Now each file that
passes the evidence checks (size, content type: services.evidence_check) is stored
server-side at once, under a random token that only this browser session knows; the
page lists it as already attached, with a remove box, and carries the tokens in hidden
fields. The submit that files the complaint attaches the kept files with the new ones.

Kept files live under MEDIA_ROOT/portal-kept/, for settings.PORTAL_KEPT_UPLOAD_SECONDS at
most (an abandoned form's files are swept on the next save, by anyone), and at most
settings.PORTAL_KEPT_UPLOAD_MAX_FILES per session.
"""

import logging
import os
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from cases import errors, services

logger = logging.getLogger(__name__)

SESSION_KEY = "portal_kept_uploads"
FOLDER = "portal-kept"


@dataclass
class KeptUpload:
    token: str
    name: str
    size: int
    path: str


def _entries(request) -> dict:
    """The session's kept files still within their time (expired ones forgotten)."""
    now = time.time()
    limit = settings.PORTAL_KEPT_UPLOAD_SECONDS
    entries = request.session.get(SESSION_KEY, {})
    fresh = {t: e for t, e in entries.items() if now - e["at"] < limit}
    if len(fresh) != len(entries):
        request.session[SESSION_KEY] = fresh
    return fresh


def kept_list(request, tokens: list[str]) -> list[KeptUpload]:
    """The kept files the page names (hidden fields) that this session owns."""
    entries = _entries(request)
    return [
        KeptUpload(
            token=t, name=entries[t]["name"], size=entries[t]["size"], path=entries[t]["path"]
        )
        for t in dict.fromkeys(tokens)
        if t in entries
    ]


def kept_save(request, uploads) -> tuple[list[KeptUpload], list[str]]:
    """Store each upload that may be evidence; returns them and the refusals' messages."""
    _sweep()
    entries = dict(_entries(request))
    kept, problems = [], []
    for upload in uploads:
        try:
            mime = services.evidence_check(upload)
        except errors.DomainError as error:
            problems.append(f"{upload.name}：{error.message}")
            continue
        if len(entries) >= settings.PORTAL_KEPT_UPLOAD_MAX_FILES:
            problems.append(TOO_MANY % {"name": upload.name, "n": len(entries)})
            continue
        token = secrets.token_urlsafe(16)
        path = default_storage.save(f"{FOLDER}/{token}{services.EVIDENCE_TYPES[mime]}", upload)
        name = (upload.name or "upload")[-200:]
        entries[token] = {"name": name, "size": upload.size, "path": path, "at": time.time()}
        kept.append(KeptUpload(token=token, name=name, size=upload.size, path=path))
    request.session[SESSION_KEY] = entries
    return kept, problems


def kept_remove(request, tokens: list[str]) -> None:
    entries = dict(_entries(request))
    for token in tokens:
        entry = entries.pop(token, None)
        if entry:
            default_storage.delete(entry["path"])
    request.session[SESSION_KEY] = entries


def kept_open(kept: list[KeptUpload]) -> list[File]:
    """The kept files as uploads for services.evidence_add (the caller closes them)."""
    files = []
    for item in kept:
        handle = default_storage.open(item.path, "rb")
        files.append(File(handle, name=item.name))
    return files


def _sweep() -> None:
    """Delete kept files past their time, whoever left them."""
    limit = time.time() - settings.PORTAL_KEPT_UPLOAD_SECONDS
    try:
        _dirs, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if os.path.getmtime(default_storage.path(path)) < limit:
                default_storage.delete(path)
        except (NotImplementedError, OSError):
            logger.warning("could not sweep kept upload %s", path, exc_info=True)


TOO_MANY = "“%(name)s”未能保留：已保留%(n)s个文件，已达上限。"
