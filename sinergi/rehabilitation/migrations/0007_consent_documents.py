"""Consent records (UU 27/2022), client documents in private storage and their types (loaded
from rehabilitation/data/document_types.csv; later changes go through `document_types_load`). This
migration reads only the columns that existed when it was written."""

import csv
import datetime as dt
import uuid
from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import sinergi.organisation.fields
import sinergi.rehabilitation.models.documents

DATA = Path(__file__).resolve().parent.parent / "data"


def load_document_types(apps, schema_editor):
    model = apps.get_model("rehabilitation", "DocumentType")
    with (DATA / "document_types.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "number": int(row["number"]),
                    "name": row["name"],
                    "name_en": row["name_en"],
                    "source": row["source"],
                    "effective_from": dt.date.fromisoformat(row["effective_from"]),
                    "extensions": row["extensions"],
                    "max_size_kb": int(row["max_size_kb"]),
                    "is_photo": row["is_photo"] == "true",
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("rehabilitation", "0006_casework"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DocumentType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                ('number', models.PositiveSmallIntegerField(verbose_name='number')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name in English')),
                ('source', models.CharField(max_length=300, verbose_name='source')),
                ('effective_from', models.DateField(verbose_name='effective from')),
                ('effective_until', models.DateField(blank=True, null=True, verbose_name='effective until')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('extensions', models.CharField(help_text='Space-separated, lower case, without the dot, e.g. pdf jpg jpeg png.', max_length=100, verbose_name='allowed extensions')),
                ('max_size_kb', models.PositiveIntegerField(verbose_name='largest file (KB)')),
                ('is_photo', models.BooleanField(default=False, help_text="The client's photo on their file.", verbose_name='photo of the client')),
            ],
            options={
                'verbose_name': 'document type',
                'verbose_name_plural': 'document types',
                'ordering': ['number', 'code'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ClientDocument',
            fields=[
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('file', models.FileField(max_length=255, upload_to=sinergi.rehabilitation.models.documents.document_upload_path, verbose_name='file')),
                ('extension', models.CharField(max_length=8, verbose_name='extension')),
                ('content_type', models.CharField(max_length=100, verbose_name='content type')),
                ('size', models.PositiveIntegerField(verbose_name='size (bytes)')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('description', models.CharField(blank=True, max_length=255, verbose_name='description')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='rehabilitation.case', verbose_name='case')),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='rehabilitation.client', verbose_name='client')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                ('document_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='rehabilitation.documenttype', verbose_name='document type')),
            ],
            options={
                'verbose_name': 'client document',
                'verbose_name_plural': 'client documents',
                'ordering': ['-created_at', 'id'],
                'permissions': [('import_client', 'Can import client lists from a spreadsheet'), ('export_client', 'Can export client lists')],
            },
        ),
        migrations.CreateModel(
            name='ConsentRecord',
            fields=[
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('scope', models.CharField(choices=[('care', 'Care and rehabilitation services'), ('data_sharing', 'Sharing data with other agencies'), ('publication', 'Publication (photos, stories)')], max_length=20, verbose_name='consent to')),
                ('given_by', models.CharField(choices=[('client', 'The client'), ('guardian', 'A parent or guardian')], max_length=10, verbose_name='given by')),
                ('guardian_name', models.CharField(blank=True, max_length=150, verbose_name="guardian's name")),
                ('guardian_relationship', models.CharField(blank=True, max_length=60, verbose_name="guardian's relationship")),
                ('guardian_nik', models.CharField(blank=True, max_length=16, validators=[sinergi.organisation.fields.validate_nik_region], verbose_name="guardian's NIK")),
                ('consented_on', models.DateField(verbose_name='consented on')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('withdrawn_on', models.DateField(blank=True, null=True, verbose_name='withdrawn on')),
                ('withdrawal_reason', models.TextField(blank=True, verbose_name='reason for the withdrawal')),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='rehabilitation.client', verbose_name='client')),
                ('form_document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='rehabilitation.clientdocument', verbose_name='signed consent form')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('withdrawn_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='withdrawal recorded by')),
            ],
            options={
                'verbose_name': 'consent record',
                'verbose_name_plural': 'consent records',
                'ordering': ['-consented_on', '-created_at'],
                'indexes': [models.Index(fields=['client', 'scope', 'withdrawn_on'], name='rehab_consent_state_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('withdrawn_on__isnull', True)), fields=('client', 'scope'), name='rehab_consent_one_in_force'), models.CheckConstraint(condition=models.Q(('given_by', 'client'), models.Q(('guardian_name', ''), _negated=True), _connector='OR'), name='rehab_consent_guardian_named'), models.CheckConstraint(condition=models.Q(('withdrawn_on__isnull', True), models.Q(('withdrawal_reason', ''), _negated=True), _connector='OR'), name='rehab_consent_withdrawal_reason')],
            },
        ),
        migrations.AddIndex(
            model_name='clientdocument',
            index=models.Index(fields=['client', '-created_at'], name='rehab_document_client_idx'),
        ),
        migrations.RunPython(load_document_types, migrations.RunPython.noop),
    ]
