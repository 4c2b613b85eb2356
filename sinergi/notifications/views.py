"""The user's notifications: the list, mark read (htmx or plain POST), open one."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sinergi.core.errors import ApplicationError
from sinergi.core.htmx import is_htmx
from sinergi.core.pagination import keyset_page
from sinergi.notifications import selectors, services

PAGE_SIZE = 25


def _list_url(request: HttpRequest) -> str:
    url = reverse("notifications:list")
    return f"{url}?filter=unread" if request.POST.get("filter") == "unread" else url


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("filter") == "unread"
    queryset = selectors.notification_list(viewer=request.user, unread_only=unread_only)
    try:
        page = keyset_page(
            queryset,
            ordering=selectors.LIST_ORDERING,
            cursor=request.GET.get("cursor") or None,
            size=PAGE_SIZE,
        )
    except ApplicationError:
        return redirect(reverse("notifications:list"))
    context = {"page": page, "unread_only": unread_only, "filter": "unread" if unread_only else ""}
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get(viewer=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if is_htmx(request):
        return render(
            request,
            "notifications/list.html#item",
            {"notification": notification, "filter": request.POST.get("filter", ""), "oob": True},
        )
    return redirect(_list_url(request))


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notification_mark_all_read(actor=request.user)
    return redirect(_list_url(request))


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read, then go to the page the notification is about."""
    notification = selectors.notification_get(viewer=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect(notification.url or reverse("notifications:list"))
