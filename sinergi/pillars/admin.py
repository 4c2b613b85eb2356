from django.contrib import admin

from sinergi.core.admin_base import ReadOnlyModelAdmin
from sinergi.pillars.models import AidRate, Bank, BankFileLayout, Cycle, Member, PillarType


@admin.register(PillarType)
class PillarTypeAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name", "one_per_district", "is_active"]


@admin.register(Bank)
class BankAdmin(ReadOnlyModelAdmin):
    list_display = [
        "code",
        "short_name",
        "account_length_min",
        "account_length_max",
        "is_confirmed",
    ]


@admin.register(BankFileLayout)
class BankFileLayoutAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "name", "bank", "is_default", "is_confirmed"]


@admin.register(AidRate)
class AidRateAdmin(ReadOnlyModelAdmin):
    list_display = ["scheme", "pillar_type", "role", "amount", "effective_from", "is_confirmed"]


@admin.register(Cycle)
class CycleAdmin(ReadOnlyModelAdmin):
    list_display = ["scheme", "year", "quarter", "unit"]


@admin.register(Member)
class MemberAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "pillar_type", "regency", "status"]
    list_filter = ["pillar_type", "status"]
    exclude = ["nik"]
