"""Template filters for Rupiah, Indonesian dates and percentages (loaded as builtins)."""

from django import template

from sinergi.core import formatting

register = template.Library()

register.filter("rupiah", formatting.rupiah)
register.filter("long_date", formatting.long_date)
register.filter("short_date", formatting.short_date)
register.filter("date_time", formatting.date_time)
register.filter("percent", formatting.percent)
