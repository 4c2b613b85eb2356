"""manage.py run_schedule: runs due jobs, --list, exit status on failure."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sinergi import scheduling
from sinergi.scheduling.models import JobRun
from sinergi.scheduling.tests import jobs

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("run_schedule", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_runs_due_jobs_once_and_says_so(empty_registry):
    scheduling.register(
        "test.every5", every=dt.timedelta(minutes=5), call="sinergi.scheduling.tests.jobs.succeed"
    )

    first, _ = _run()
    second, _ = _run()

    assert "test.every5: slot" in first
    assert "done: 3 rows done" in first
    assert "already ran, skipped" in second
    assert jobs.calls == ["succeed"]


def test_command_exits_with_an_error_when_a_job_fails(empty_registry):
    scheduling.register(
        "test.fail", every="daily at 00:00", call="sinergi.scheduling.tests.jobs.fail"
    )
    err = StringIO()

    with pytest.raises(CommandError, match=r"1 job\(s\) failed: test\.fail"):
        call_command("run_schedule", stdout=StringIO(), stderr=err)

    assert "test.fail: slot" in err.getvalue()
    assert "FAILED: ValueError: the source file is missing" in err.getvalue()
    assert JobRun.objects.get().status == "failed"


def test_list_shows_jobs_and_runs_nothing(empty_registry):
    scheduling.register(
        "test.daily", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.succeed"
    )

    out, _ = _run("--list")

    assert "test.daily" in out
    assert "daily at 06:00" in out
    assert "never ran" in out
    assert jobs.calls == []
    assert JobRun.objects.count() == 0


def test_list_shows_the_last_run(empty_registry):
    scheduling.register(
        "test.daily", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.succeed"
    )
    _run()

    out, _ = _run("--list")

    assert "succeeded" in out


def test_job_option_runs_only_that_job_and_rejects_unknown_names(empty_registry):
    scheduling.register("a", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.succeed")
    scheduling.register(
        "b", every="daily at 06:00", call="sinergi.scheduling.tests.jobs.succeed_quietly"
    )

    _run("--job", "b")

    assert jobs.calls == ["succeed_quietly"]
    with pytest.raises(CommandError, match="Unknown job"):
        _run("--job", "nope")
