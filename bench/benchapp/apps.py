from django.apps import AppConfig


class BenchAppConfig(AppConfig):
    """Bench-only tables; installed by config.settings.bench only."""

    name = "bench.benchapp"
    label = "benchapp"
    verbose_name = "Benchmarks"
    default_auto_field = "django.db.models.BigAutoField"
