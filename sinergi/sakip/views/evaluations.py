"""SAKIP evaluation pages: the summary of a year (and its xlsx), starting an evaluation, the
worksheet (LKE) by component, answering with evidence, reviews, last year's score, finalising and
unlocking, the PDF report and the evidence files. Thin: parse, one selector or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import ExportColumn, pdf_response, xlsx_response
from sinergi.organisation import selectors as organisation
from sinergi.sakip import forms as sakip_forms
from sinergi.sakip import selectors, services
from sinergi.sakip.permissions import ANSWER, MANAGE, VIEW, can_answer
from sinergi.sakip.views.common import form_errors, year_of


@require_GET
@require_permission(VIEW)
def summary(request: HttpRequest) -> HttpResponse:
    """Every evaluation of the year in the viewer's scope: progress, score, grade, last year."""
    year = year_of(request)
    context = {
        "year": year,
        "years": selectors.evaluation_years(),
        "rows": selectors.evaluation_summary(viewer=request.user, year=year),
        "bands": selectors.grade_bands(),
        "can_manage": request.user.has_perm(MANAGE),
    }
    return render(request, "sakip/summary.html", context)


SUMMARY_COLUMNS = [
    ExportColumn("evaluation.unit.code", _("Unit code")),
    ExportColumn("evaluation.unit.name", _("Unit")),
    ExportColumn("evaluation.year", _("Year"), kind="int"),
    ExportColumn(lambda r: r.evaluation.get_status_display(), _("Status")),
    ExportColumn("answered", _("Criteria answered"), kind="int"),
    ExportColumn("total", _("Criteria"), kind="int"),
    ExportColumn("evaluation.score", pgettext("SAKIP", "Score"), kind="decimal"),
    ExportColumn("evaluation.grade", _("Grade")),
    ExportColumn("previous_score", _("Last year's score"), kind="decimal"),
    ExportColumn("change", _("Change (points)"), kind="decimal"),
]


@require_GET
@require_permission(VIEW)
def summary_xlsx(request: HttpRequest) -> HttpResponse:
    year = year_of(request)
    rows = selectors.evaluation_summary(viewer=request.user, year=year)
    return xlsx_response(
        filename=f"evaluasi-sakip-{year}",
        sheet_title=_("SAKIP evaluation"),
        columns=SUMMARY_COLUMNS,
        rows=rows,
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def evaluation_create(request: HttpRequest) -> HttpResponse:
    """Start the evaluation of a unit for a year whose LKE exists (planning officer)."""
    units = organisation.unit_list(viewer=request.user)
    form = sakip_forms.EvaluationCreateForm(
        request.POST or None, units=units, initial={"year": year_of(request)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        template = selectors.template_for_year(data["year"])
        if template is None:
            form.add_error(
                "year",
                _("There is no LKE for %(year)s yet. Create it first under LKE templates.")
                % {"year": data["year"]},
            )
        else:
            try:
                evaluation = services.evaluation_create(
                    actor=request.user,
                    template=template,
                    unit=data["unit"],
                    previous_score=data["previous_score"],
                )
            except ApplicationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("The evaluation has been started."))
                return redirect("sakip:evaluation_detail", pk=evaluation.pk)
    return render(request, "sakip/form.html", {"form": form, "title": _("Start an evaluation")})


@require_GET
@require_permission(VIEW)
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The worksheet: criteria by component with answers, evidence, review and progress."""
    evaluation = selectors.evaluation_get(viewer=request.user, pk=pk)
    sheet = selectors.worksheet(evaluation)
    context = {
        "evaluation": evaluation,
        "sheet": sheet,
        "can_answer": can_answer(request.user, evaluation),
        "can_manage": request.user.has_perm(MANAGE),
        "recommendations": list(
            selectors.recommendation_list(viewer=request.user, evaluation=evaluation)
        ),
        "unlock_form": sakip_forms.UnlockForm(),
        "previous_form": sakip_forms.PreviousScoreForm(
            initial={"previous_score": evaluation.previous_score}
        ),
    }
    return render(request, "sakip/evaluation_detail.html", context)


@require_http_methods(["GET", "POST"])
@require_permission(ANSWER)
def answer_edit(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    """The unit answers one criterion and gives its evidence."""
    evaluation = selectors.evaluation_get(viewer=request.user, pk=pk)
    if not can_answer(request.user, evaluation):
        raise PermissionDenied
    criterion = selectors.criterion_get(evaluation, criterion_id)
    answer = selectors.answer_for(evaluation, criterion)
    options = selectors.options_by_scale().get(criterion.scale_id, [])
    initial = (
        {
            "option": answer.option.code,
            "evidence_text": answer.evidence_text,
            "evidence_link": answer.evidence_link,
        }
        if answer
        else {}
    )
    form = sakip_forms.AnswerForm(
        request.POST or None, request.FILES or None, options=options, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_save(
                actor=request.user,
                evaluation=evaluation,
                criterion=criterion,
                option_code=data["option"],
                evidence_text=data["evidence_text"],
                evidence_link=data["evidence_link"],
                evidence_file=data["evidence_file"] or None,
                remove_file=data["evidence_file"] is False,
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("The answer to %(code)s has been saved.") % {"code": criterion.code}
            )
            return redirect(
                f"{reverse('sakip:evaluation_detail', args=[evaluation.pk])}#k-{criterion.pk}"
            )
    return render(
        request,
        "sakip/answer_form.html",
        {"form": form, "evaluation": evaluation, "criterion": criterion, "answer": answer},
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def answer_review(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    """The planning officer accepts an answer or not, with notes and the answer counted."""
    evaluation = selectors.evaluation_get(viewer=request.user, pk=pk)
    criterion = selectors.criterion_get(evaluation, criterion_id)
    answer = selectors.answer_for(evaluation, criterion)
    if answer is None:
        messages.error(request, _("The unit has not answered this criterion yet."))
        return redirect("sakip:evaluation_detail", pk=evaluation.pk)
    options = selectors.options_by_scale().get(criterion.scale_id, [])
    form = sakip_forms.ReviewForm(
        request.POST or None,
        options=options,
        initial={
            "accepted": "1" if answer.accepted is not False else "0",
            "reviewed_option": answer.reviewed_option.code if answer.reviewed_option else "",
            "review_note": answer.review_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_review(
                actor=request.user,
                answer=answer,
                accepted=data["accepted"],
                reviewed_option_code=data["reviewed_option"],
                note=data["review_note"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The review has been saved."))
            return redirect(
                f"{reverse('sakip:evaluation_detail', args=[evaluation.pk])}#k-{criterion.pk}"
            )
    return render(
        request,
        "sakip/review_form.html",
        {"form": form, "evaluation": evaluation, "criterion": criterion, "answer": answer},
    )


@require_POST
@require_permission(MANAGE)
def previous_score(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(viewer=request.user, pk=pk)
    form = sakip_forms.PreviousScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter last year's score as a number between 0 and 100."))
    else:
        try:
            services.previous_score_set(
                actor=request.user,
                evaluation=evaluation,
                previous_score=form.cleaned_data["previous_score"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Last year's score has been saved."))
    return redirect("sakip:evaluation_detail", pk=evaluation.pk)


@require_POST
@require_permission(MANAGE)
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(viewer=request.user, pk=pk)
    try:
        evaluation = services.evaluation_finalise(actor=request.user, evaluation=evaluation)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The evaluation is final: score %(score)s, grade %(grade)s.")
            % {"score": str(evaluation.score).replace(".", ","), "grade": evaluation.grade},
        )
    return redirect("sakip:evaluation_detail", pk=evaluation.pk)


@require_POST
@require_permission(MANAGE)
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(viewer=request.user, pk=pk)
    form = sakip_forms.UnlockForm(request.POST)
    try:
        services.evaluation_unlock(
            actor=request.user,
            evaluation=evaluation,
            reason=form.data.get("reason", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The evaluation has been unlocked."))
    return redirect("sakip:evaluation_detail", pk=evaluation.pk)


@require_GET
@require_permission(VIEW)
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation report (LHE): score and grade per component, answers, recommendations."""
    evaluation = selectors.evaluation_get(viewer=request.user, pk=pk)
    context = {
        "title": _("SAKIP internal evaluation report"),
        "subtitle": f"{evaluation.unit.name} · {evaluation.year}",
        "evaluation": evaluation,
        "sheet": selectors.worksheet(evaluation),
        "recommendations": list(
            selectors.recommendation_list(viewer=request.user, evaluation=evaluation)
        ),
    }
    return pdf_response(
        request,
        template="sakip/report_pdf.html",
        context=context,
        filename=f"evaluasi-sakip-{evaluation.year}-{evaluation.unit.code}",
    )


@require_GET
@require_permission(VIEW)
def evidence_download(request: HttpRequest, answer_id: int) -> HttpResponse:
    """The evidence file of an answer, for readers of the evaluation's unit only (404 otherwise)."""
    answer = selectors.evidence_get(viewer=request.user, answer_id=answer_id)
    response = FileResponse(
        answer.evidence_file.open("rb"),
        as_attachment=True,
        filename=answer.evidence_filename or "bukti",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]
