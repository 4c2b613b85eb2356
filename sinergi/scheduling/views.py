"""The scheduled jobs page: registered jobs, their last run, and the recent runs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinergi.accounts.permissions import require_permission
from sinergi.scheduling import registry, selectors


@require_permission("scheduling.view_jobrun")
def job_list(request: HttpRequest) -> HttpResponse:
    job = request.GET.get("job") or None
    if job is not None and registry.get(job) is None:
        job = None
    context = {
        "statuses": selectors.job_status_list(viewer=request.user),
        "runs": selectors.job_run_list(viewer=request.user, job=job),
        "selected_job": job,
    }
    return render(request, "scheduling/job_list.html", context)
