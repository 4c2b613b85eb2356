"""SAKIP pages: the summary of a year, the worksheet (LKE) of an evaluation by component, answering
with evidence, reviews, finalising and unlocking, recommendations, LKE templates and weights, an
xlsx summary and a PDF report. Thin: parse, one selector or service, render."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.permissions import require_permission
from sinergi.core.errors import ApplicationError
from sinergi.core.exports import ExportColumn, pdf_response, xlsx_response
from sinergi.organisation import selectors as organisation
from sinergi.sakip import forms as sakip_forms
from sinergi.sakip import selectors, services
from sinergi.sakip.models import Recommendation
from sinergi.sakip.permissions import ANSWER, MANAGE, VIEW, can_answer, can_follow_up


def _form_errors(form: forms.Form, error: ApplicationError) -> None:
    for name, field_messages in error.field_errors.items():
        for message in field_messages:
            if name in form.fields:
                form.add_error(name, message)
    form.add_error(None, error.message)


def _year(request: HttpRequest) -> int:
    years = selectors.evaluation_years()
    try:
        return int(request.GET.get("tahun", ""))
    except ValueError:
        return years[0] if years else dt.date.today().year


@require_GET
@require_permission(VIEW)
def summary(request: HttpRequest) -> HttpResponse:
    """Every evaluation of the year in the viewer's scope: progress, score, grade, last year."""
    year = _year(request)
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
    ExportColumn("evaluation.score", _("Score"), kind="decimal"),
    ExportColumn("evaluation.grade", _("Grade")),
    ExportColumn("previous_score", _("Last year's score"), kind="decimal"),
    ExportColumn("change", _("Change (points)"), kind="decimal"),
]


@require_GET
@require_permission(VIEW)
def summary_xlsx(request: HttpRequest) -> HttpResponse:
    year = _year(request)
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
        request.POST or None, units=units, initial={"year": _year(request)}
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
                _form_errors(form, error)
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
            _form_errors(form, error)
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
            _form_errors(form, error)
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


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(viewer=request.user, pk=pk)
    form = sakip_forms.RecommendationForm(
        request.POST or None,
        components=evaluation.template.components.all(),
        units=organisation.unit_list(viewer=request.user),
        initial={"owner_unit": evaluation.unit_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_create(
                actor=request.user,
                evaluation=evaluation,
                text=data["text"],
                owner_unit=data["owner_unit"],
                due_on=data["due_on"],
                component=data["component"],
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The recommendation has been added."))
            return redirect("sakip:evaluation_detail", pk=evaluation.pk)
    return render(
        request,
        "sakip/form.html",
        {"form": form, "title": _("Add a recommendation"), "evaluation": evaluation},
    )


@require_GET
@require_permission(VIEW)
def recommendation_list(request: HttpRequest) -> HttpResponse:
    """The tracker: recommendations in the viewer's scope by due date, filtered by status/year."""
    status = request.GET.get("status", "")
    status = status if status in Recommendation.Status.values else ""
    try:
        year = int(request.GET.get("tahun", "")) or None
    except ValueError:
        year = None
    try:
        page = selectors.recommendation_page(
            viewer=request.user, status=status, year=year, cursor=request.GET.get("cursor")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("sakip:recommendation_list")
    query = "&".join(f"{k}={v}" for k, v in (("status", status), ("tahun", year or "")) if v)
    return render(
        request,
        "sakip/recommendation_list.html",
        {
            "page": page,
            "status": status,
            "year": year,
            "query": query,
            "statuses": Recommendation.Status.choices,
            "years": selectors.evaluation_years(),
            "today": dt.date.today(),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(VIEW)
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The responsible unit (or the planning officer) records the follow-up."""
    recommendation = selectors.recommendation_get(viewer=request.user, pk=pk)
    allowed = can_follow_up(request.user, recommendation)
    if request.method == "POST" and not allowed:
        raise PermissionDenied
    form = sakip_forms.FollowUpForm(
        request.POST or None,
        initial={"status": recommendation.status, "follow_up": recommendation.follow_up},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_follow_up(
                actor=request.user,
                recommendation=recommendation,
                status=data["status"],
                follow_up=data["follow_up"],
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The follow-up has been saved."))
            return redirect("sakip:recommendation_list")
    return render(
        request,
        "sakip/recommendation_form.html",
        {"form": form, "recommendation": recommendation, "can_edit": allowed},
    )


@require_http_methods(["GET", "POST"])
@require_permission(VIEW)
def template_list(request: HttpRequest) -> HttpResponse:
    """The LKE of every year; the planning officer creates next year's."""
    can_manage = request.user.has_perm(MANAGE)
    form = sakip_forms.TemplateCreateForm(
        request.POST or None,
        templates=selectors.template_list(),
        initial={"year": dt.date.today().year},
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                template = services.template_create(
                    actor=request.user,
                    year=form.cleaned_data["year"],
                    copy_from=form.cleaned_data["copy_from"],
                )
            except ApplicationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The LKE has been created."))
                return redirect("sakip:template_detail", pk=template.pk)
    return render(
        request,
        "sakip/template_list.html",
        {"templates": selectors.template_list(), "form": form, "can_manage": can_manage},
    )


@require_http_methods(["GET", "POST"])
@require_permission(VIEW)
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The structure of an LKE with its weights; the planning officer changes the weights."""
    template = selectors.template_get(pk=pk)
    can_manage = request.user.has_perm(MANAGE)
    error = None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        weights: dict[str, Decimal] = {}
        for key, value in request.POST.dict().items():
            if key.split("-")[0] in ("component", "subcomponent", "criterion"):
                try:
                    weights[key] = Decimal(value.replace(",", "."))
                except InvalidOperation:
                    error = _("Enter every weight as a number.")
        if error is None:
            try:
                services.template_weights_set(
                    actor=request.user, template=template, weights=weights
                )
            except ApplicationError as exc:
                error = exc.message
            else:
                messages.success(request, _("The weights have been saved."))
                return redirect("sakip:template_detail", pk=template.pk)
    components = selectors.template_components(template)
    posted = request.POST if request.method == "POST" else {}
    for comp in components:
        comp.shown = posted.get(f"component-{comp.pk}", comp.weight)  # type: ignore[attr-defined]
        for sub in comp.subcomponents.all():
            sub.shown = posted.get(f"subcomponent-{sub.pk}", sub.weight)  # type: ignore[attr-defined]
            for crit in sub.criteria.all():
                crit.shown = posted.get(f"criterion-{crit.pk}", crit.weight)  # type: ignore[attr-defined]
    return render(
        request,
        "sakip/template_detail.html",
        {
            "template": template,
            "components": components,
            "can_manage": can_manage,
            "error": error,
        },
    )
