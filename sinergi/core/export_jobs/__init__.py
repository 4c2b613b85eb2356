"""Exports written in the background (budget P3): the ExportJob writes and reads.

The public entry point for apps is `sinergi.core.export_views.export_or_enqueue`; sources are declared
with `sinergi.core.exports.register_source` in each app's exports.py.
"""
