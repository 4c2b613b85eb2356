"""Writes of the strategic plan: Renstra periods, tujuan, sasaran, indicators and their targets.
Every change writes an audit event in the same transaction."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.audit import services as audit
from sinergi.core import metrics
from sinergi.core.errors import ApplicationError
from sinergi.performance import budget_links
from sinergi.performance.achievement import RATIO_POLARITIES
from sinergi.performance.models import (
    AuditAction,
    Goal,
    Indicator,
    Objective,
    Polarity,
    Realisation,
    RenstraPeriod,
    Target,
)
from sinergi.performance.permissions import can_manage
from sinergi.performance.services.summary import summaries_changed


def require_manager(actor: Any) -> None:
    if not can_manage(actor):
        raise PermissionDenied


def _clean(instance: Any) -> None:
    """full_clean() turned into an ApplicationError carrying the field messages."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first = next(iter(fields.values()), [""])[0]
        raise ApplicationError(
            _("Check the entry: %(problem)s") % {"problem": first},
            code="invalid",
            field_errors=fields,
        ) from exc


def _save_tracked(
    *, actor: Any, instance: Any, fields: list[str], values: dict[str, Any], action: str
) -> Any:
    """Set `values` on `instance`, validate, save and audit what changed (nothing when nothing did)."""
    creating = instance.pk is None
    before = {} if creating else audit.snapshot(instance, fields)
    for key, value in values.items():
        setattr(instance, key, value)
    _clean(instance)
    after = audit.snapshot(instance, fields)
    changes = (
        {k: [None, v] for k, v in after.items()}
        if creating
        else audit.changes_between(before, after)
    )
    if changes:
        instance.save()
        audit.record(actor=actor, action=action, target=instance, changes=changes)
    return instance


def _code_taken(message: str, code: Any) -> ApplicationError:
    text = message % {"code": code} + " " + _("Open it to change it, or use another code.")
    field = "start_year" if isinstance(code, int) else "code"
    return ApplicationError(text, code="code_taken", field_errors={field: [_("Already used.")]})


PERIOD_FIELDS = ["name", "start_year", "end_year", "legal_basis"]


@transaction.atomic
def period_save(
    *,
    actor: Any,
    name: str,
    start_year: int,
    end_year: int,
    legal_basis: str = "",
    new: bool = False,
) -> RenstraPeriod:
    """Create or update the Renstra period starting in `start_year` (`new`: only create). A plan
    cannot end before a year that already has targets or realisation."""
    require_manager(actor)
    if end_year < start_year:
        raise ApplicationError(
            _("The last year of the plan comes before its first year. Check both years."),
            code="invalid_years",
            field_errors={"end_year": [_("Must not be before the first year.")]},
        )
    overlapping = RenstraPeriod.objects.filter(
        start_year__lte=end_year, end_year__gte=start_year
    ).exclude(start_year=start_year)
    if overlapping.exists():
        raise ApplicationError(
            _(
                "These years overlap another Renstra period (%(other)s). A year belongs to one "
                "plan: change the years or the other period first."
            )
            % {"other": str(overlapping.first())},
            code="overlapping_period",
        )
    period = (
        RenstraPeriod.objects.select_for_update().filter(start_year=start_year).first()
        or RenstraPeriod()
    )
    if new and period.pk is not None:
        raise _code_taken(_("A Renstra period starting in %(code)s already exists."), start_year)
    if period.pk is not None and end_year < period.end_year:
        outside = Target.objects.filter(indicator__period=period, year__gt=end_year).exists() or (
            Realisation.objects.filter(indicator__period=period, year__gt=end_year).exists()
        )
        if outside:
            raise ApplicationError(
                _(
                    "Targets or realisation of this plan exist after %(end)s. Keep the last year "
                    "%(old)s, or remove those figures first."
                )
                % {"end": end_year, "old": period.end_year},
                code="period_has_figures",
                field_errors={"end_year": [_("Figures exist in later years.")]},
            )
    return _save_tracked(
        actor=actor,
        instance=period,
        fields=PERIOD_FIELDS,
        values={
            "name": name,
            "start_year": start_year,
            "end_year": end_year,
            "legal_basis": legal_basis,
        },
        action=AuditAction.PERIOD_SAVED,
    )


def _save_statement(
    *,
    actor: Any,
    model: type[Goal] | type[Objective],
    parent: dict[str, Any],
    code: str,
    statement: str,
    new: bool,
    taken: str,
    action: str,
) -> Any:
    """Create or update the tujuan or sasaran `code` under `parent` (`new`: only create)."""
    require_manager(actor)
    code = code.strip()
    instance = model.objects.filter(code=code, **parent).first()
    if new and instance is not None:
        raise _code_taken(taken, code)
    return _save_tracked(
        actor=actor,
        instance=instance or model(code=code, **parent),
        fields=[*parent, "code", "statement"],
        values={"statement": statement},
        action=action,
    )


@transaction.atomic
def goal_save(
    *, actor: Any, period: RenstraPeriod, code: str, statement: str, new: bool = False
) -> Goal:
    """Create or update the tujuan `code` of a period (`new`: only create)."""
    goal: Goal = _save_statement(
        actor=actor,
        model=Goal,
        parent={"period": period},
        code=code,
        statement=statement,
        new=new,
        taken=_("The plan already has a goal %(code)s."),
        action=AuditAction.GOAL_SAVED,
    )
    return goal


@transaction.atomic
def objective_save(
    *, actor: Any, goal: Goal, code: str, statement: str, new: bool = False
) -> Objective:
    """Create or update the sasaran `code` under a tujuan (`new`: only create)."""
    objective: Objective = _save_statement(
        actor=actor,
        model=Objective,
        parent={"goal": goal},
        code=code,
        statement=statement,
        new=new,
        taken=_("The goal already has an objective %(code)s."),
        action=AuditAction.OBJECTIVE_SAVED,
    )
    return objective


INDICATOR_FIELDS = [
    "period",
    "objective",
    "parent",
    "unit",
    "level",
    "code",
    "name",
    "unit_of_measure",
    "polarity",
    "quarter_mode",
    "data_source",
    "formula",
    "metric_code",
    "is_active",
    "sort_order",
]


@transaction.atomic
def indicator_save(
    *,
    actor: Any,
    period: RenstraPeriod,
    unit: Any,
    code: str,
    name: str,
    unit_of_measure: str,
    polarity: str = Polarity.MAXIMIZE,
    level: str = Indicator.Level.UNIT,
    objective: Objective | None = None,
    parent: Indicator | None = None,
    quarter_mode: str = "cumulative",
    data_source: str = "",
    formula: str = "",
    metric_code: str = "",
    is_active: bool = True,
    sort_order: int = 100,
    sub_kegiatan_ids: Iterable[int] | None = None,
) -> Indicator:
    """Create or update the indicator `code` of a period; `sub_kegiatan_ids` (when given) replaces
    its links to the budget's sub kegiatan, which must be sub kegiatan of the DPA of a year of the
    plan. A metric code must be registered; an IKU supports no other indicator."""
    require_manager(actor)
    if metric_code and metrics.get(metric_code) is None:
        raise ApplicationError(
            _(
                "No figure “%(code)s” is computed by Sinergi. Choose one from the list, or leave "
                "the field empty to enter the realisation by hand."
            )
            % {"code": metric_code},
            code="unknown_metric",
            field_errors={"metric_code": [_("Unknown figure.")]},
        )
    if objective is not None and objective.goal.period_id != period.pk:
        raise ApplicationError(
            _("The objective belongs to another Renstra period. Choose one of this period."),
            code="objective_other_period",
            field_errors={"objective": [_("Choose an objective of this period.")]},
        )
    if parent is not None and (parent.period_id != period.pk or parent.level != "iku"):
        raise ApplicationError(
            _("An indicator can only support an IKU of the same Renstra period."),
            code="invalid_parent",
            field_errors={"parent": [_("Choose an IKU of this period.")]},
        )
    if level == Indicator.Level.IKU and parent is not None:
        raise ApplicationError(
            _("An IKU is the top of the tree: it cannot support another IKU."),
            code="iku_with_parent",
            field_errors={"parent": [_("Leave empty for an IKU.")]},
        )
    indicator = Indicator.objects.select_for_update().filter(period=period, code=code).first()
    touched_units = {unit.pk} | ({indicator.unit_id} if indicator is not None else set())
    if indicator is None:
        indicator = Indicator(period=period, code=code)
    elif indicator.polarity != polarity and indicator.targets.exists():
        raise ApplicationError(
            _(
                "The targets of this indicator were set for “%(old)s”. Clear its targets before "
                "changing how it is measured, or create a new indicator."
            )
            % {"old": indicator.get_polarity_display()},
            code="polarity_has_targets",
            field_errors={"polarity": [_("Targets already set.")]},
        )
    indicator = _save_tracked(
        actor=actor,
        instance=indicator,
        fields=INDICATOR_FIELDS,
        values={
            "objective": objective,
            "parent": parent,
            "unit": unit,
            "level": level,
            "name": name,
            "unit_of_measure": unit_of_measure,
            "polarity": polarity,
            "quarter_mode": quarter_mode,
            "data_source": data_source,
            "formula": formula,
            "metric_code": metric_code,
            "is_active": is_active,
            "sort_order": sort_order,
        },
        action=AuditAction.INDICATOR_SAVED,
    )
    if sub_kegiatan_ids is not None:
        wanted = sorted({int(pk) for pk in sub_kegiatan_ids})
        current = sorted(
            indicator.sub_kegiatan.through.objects.filter(indicator=indicator).values_list(
                "subkegiatan_id", flat=True
            )
        )
        if wanted != current:
            _check_sub_kegiatan(period, set(wanted) - set(current))
            indicator.sub_kegiatan.set(wanted)
            audit.record(
                actor=actor,
                action=AuditAction.INDICATOR_SAVED,
                target=indicator,
                changes={"sub_kegiatan": [current, wanted]},
            )
    summaries_changed(years=period.years, unit_ids=touched_units)
    return indicator


def _check_sub_kegiatan(period: RenstraPeriod, added: set[int]) -> None:
    """Refuse links to anything that is not a sub kegiatan of the DPA of a year of the plan."""
    if not added:
        return
    known = {
        c.sub_kegiatan_id
        for c in budget_links.sub_kegiatan_choices(viewer=budget_links.SYSTEM, years=period.years)
    }
    if added - known:
        raise ApplicationError(
            _(
                "A chosen sub kegiatan is not in the budget (DPA) of the years %(start)s-%(end)s. "
                "Choose sub kegiatan from the list."
            )
            % {"start": period.start_year, "end": period.end_year},
            code="unknown_sub_kegiatan",
            field_errors={"sub_kegiatan": [_("Choose from the list.")]},
        )


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
        if not number.is_finite():
            raise InvalidOperation
        # stored with four decimals: the same figure must compare equal (no spurious audit events)
        return number.quantize(Decimal("0.0001"))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(
            _("“%(value)s” is not a number. Enter digits, with a comma or point for decimals.")
            % {"value": value},
            code="not_a_number",
            field_errors={field: [_("Enter a number.")]},
        ) from exc


def _plain(value: Decimal) -> str:
    """A figure as a clerk writes it in a message: 95, 2,5, -0,25 (no trailing zeros)."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def check_year(indicator: Indicator, year: int) -> None:
    period = indicator.period
    if not period.start_year <= year <= period.end_year:
        raise ApplicationError(
            _(
                "%(year)s lies outside the Renstra period %(start)s-%(end)s of this indicator. "
                "Choose a year of the plan."
            )
            % {"year": year, "start": period.start_year, "end": period.end_year},
            code="year_outside_period",
            field_errors={"year": [_("Choose a year of the plan.")]},
        )


def validate_target(
    polarity: str, *, value: Decimal | None, low: Decimal | None, high: Decimal | None
) -> None:
    """The rules a target must meet for the indicator's polarity (ApplicationError otherwise)."""
    if polarity in RATIO_POLARITIES:
        if value is None:
            raise ApplicationError(
                _("Enter the target."),
                code="target_missing",
                field_errors={"value": [_("Required.")]},
            )
        if value <= 0:
            raise ApplicationError(
                _(
                    "A target of %(value)s cannot be used: the achievement of this indicator is "
                    "computed by dividing by the target. Enter a target greater than zero (for "
                    "“none at all”, use a yes/no indicator)."
                )
                % {"value": _plain(value)},
                code="target_not_positive",
                field_errors={"value": [_("Must be greater than zero.")]},
            )
    elif polarity == Polarity.RANGE:
        if low is None or high is None:
            raise ApplicationError(
                _("A range target needs its lowest and highest acceptable value."),
                code="range_missing",
                field_errors={"low": [_("Required.")], "high": [_("Required.")]},
            )
        if low < 0 or high <= 0 or low > high:
            raise ApplicationError(
                _(
                    "The range %(low)s-%(high)s is not usable: the lowest value must not be "
                    "negative, the highest must be greater than zero and not below the lowest."
                )
                % {"low": _plain(low), "high": _plain(high)},
                code="range_invalid",
                field_errors={"high": [_("Check the range.")]},
            )
    elif polarity == Polarity.BINARY and value not in (Decimal(0), Decimal(1)):
        raise ApplicationError(
            _("A yes/no target is 1 (yes) or 0 (no)."),
            code="binary_target",
            field_errors={"value": [_("Enter 1 or 0.")]},
        )


@transaction.atomic
def target_set(
    *,
    actor: Any,
    indicator: Indicator,
    year: int,
    quarter: int = 0,
    value: Any = None,
    low: Any = None,
    high: Any = None,
    note: str = "",
) -> Target:
    """Set the target of a year (quarter 0) or a quarter; a zero target of a ratio is refused."""
    require_manager(actor)
    check_year(indicator, year)
    if quarter not in (0, 1, 2, 3, 4):
        raise ApplicationError(
            _("The quarter must be 1 to 4 (or 0 for the whole year)."),
            code="invalid_quarter",
            field_errors={"quarter": [_("1 to 4, or 0.")]},
        )
    value_d, low_d, high_d = (
        _decimal(value, "value"),
        _decimal(low, "low"),
        _decimal(high, "high"),
    )
    validate_target(indicator.polarity, value=value_d, low=low_d, high=high_d)
    if indicator.polarity == Polarity.RANGE:
        assert low_d is not None
        assert high_d is not None
        value_d = None
    else:
        low_d = high_d = None
    target = (
        Target.objects.select_for_update()
        .filter(indicator=indicator, year=year, quarter=quarter)
        .first()
    ) or Target(indicator=indicator, year=year, quarter=quarter)
    target = _save_tracked(
        actor=actor,
        instance=target,
        fields=["indicator", "year", "quarter", "value", "low", "high", "note"],
        values={"value": value_d, "low": low_d, "high": high_d, "note": note},
        action=AuditAction.TARGET_SET,
    )
    summaries_changed(years=[year], unit_ids=[indicator.unit_id])
    return target
