"""API schemas of social rehabilitation (never a model wholesale)."""

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from sinergi.api.pagination import KeysetQueryIn


class CodeNameOut(Schema):
    code: str
    name: str


class CaseBriefOut(Schema):
    id: uuid.UUID
    unit_code: str
    stage: CodeNameOut
    status: str
    admitted_on: dt.date


class ClientOut(Schema):
    id: uuid.UUID
    name: str
    nik_masked: str = Field(description="First 6 digits (kecamatan) only; empty when no NIK.")
    sex: str
    birth_on: dt.date
    ppks_category: CodeNameOut
    cases: list[CaseBriefOut] = Field(description="The cases the caller may see, newest first.")


class ClientDetailOut(ClientOut):
    nik: str | None
    no_nik_reason: str
    kk_number: str
    birth_place: str
    address: str
    village_code: str
    disability_type: CodeNameOut | None
    referral_source: CodeNameOut
    guardian_name: str
    guardian_relationship: str
    guardian_phone: str
    dtsen_desil: int | None


class CaseOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    unit_code: str
    social_worker: str | None = Field(description="Username of the social worker in charge.")
    stage: CodeNameOut
    status: str
    admitted_on: dt.date
    stage_entered_at: dt.datetime
    stage_approved_at: dt.datetime | None
    termination_reason: CodeNameOut | None
    version: int = Field(description="Optimistic-locking version; changes on every update.")


class AnswerOut(Schema):
    item: int
    score: int


class AssessmentOut(Schema):
    id: int
    case_id: uuid.UUID
    instrument: str
    instrument_version: str
    assessed_on: dt.date
    total_score: int
    band: str
    answers: list[AnswerOut]


class ClientQueryIn(KeysetQueryIn):
    """No NIK or name here: they would land in addresses and logs. Search by them with
    POST /clients/search (a JSON body)."""

    unit: int | None = Field(None, description="Id of a UPT.")
    category: str = Field("", max_length=40, description="PPKS category code, e.g. `LUT`.")
    stage: str = Field("", max_length=40, description="Stage code of an open case.")


class CaseQueryIn(KeysetQueryIn):
    status: str = Field("", pattern="^(|open|closed)$", description="`open` or `closed`.")
    unit: int | None = Field(None, description="Id of a UPT.")


class AssessmentQueryIn(KeysetQueryIn):
    case: uuid.UUID | None = Field(None, description="Only the assessments of this case.")
