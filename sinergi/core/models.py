"""What every model needs. Concrete platform tables (import batches, job runs) live in submodules."""

from django.db import models


class BaseModel(models.Model):
    """Abstract base: creation and modification timestamps on every domain table."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True
