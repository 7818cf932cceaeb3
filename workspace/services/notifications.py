"""Follows and the notices sent to followers. The apps above (analysis, triage, sprints) call
`followers_notify` for their events; every event is sent at most once per user."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from gitinsight.services.audit import audit_record
from ingestion.models import Repository
from workspace.models import Notification, RepositoryFollow

logger = logging.getLogger(__name__)


def repository_follow(
    *, user: AbstractBaseUser, repository: Repository, notification_settings: dict | None = None
) -> RepositoryFollow:
    follow, created = RepositoryFollow.objects.get_or_create(user=user, repository=repository)
    if notification_settings is not None:
        follow.notification_settings = {**follow.notification_settings, **notification_settings}
        follow.save(update_fields=["notification_settings"])
    if created or notification_settings is not None:
        audit_record(user=user, action="repository.follow", resource_type="repository", resource_id=repository.pk,
                     details={"notification_settings": follow.notification_settings})
    return follow


def repository_unfollow(*, user: AbstractBaseUser, repository: Repository) -> bool:
    deleted, _ = RepositoryFollow.objects.filter(user=user, repository=repository).delete()
    if deleted:
        audit_record(user=user, action="repository.unfollow", resource_type="repository", resource_id=repository.pk)
    return bool(deleted)


def followers_notify(
    *, repository_id: int, kind: str, event_key: str, subject: str, body: str, url: str = ""
) -> int:
    """Email every follower who wants `kind`; returns how many were sent now. The unique
    (user, event_key) row is claimed before sending, so a retried task never repeats a notice."""
    sent = 0
    # A follower who has left the repository's organization hears nothing more of it.
    follows = RepositoryFollow.objects.filter(repository_id=repository_id).filter(
        Q(user__is_superuser=True) | Q(user__memberships__organization_id=F("repository__organization_id"))
    ).distinct().select_related("user", "repository")
    for follow in follows:
        if not follow.wants(kind) or not follow.user.email:
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=follow.user, repository_id=repository_id, kind=kind, event_key=event_key[:200],
                    subject=subject[:255], body=body, url=url,
                )
        except IntegrityError:
            continue  # already notified of this event
        link = f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url
        try:
            send_mail(
                f"[{follow.repository.full_name}] {subject}", f"{body}\n\n{link}".strip(),
                settings.DEFAULT_FROM_EMAIL, [follow.user.email],
            )
        except Exception as exc:  # the notice row stays, with the error, for an operator to see
            logger.warning("notification %s to %s failed: %s", notification.pk, follow.user, exc)
            Notification.objects.filter(pk=notification.pk).update(error=str(exc)[:2000])
            continue
        Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
