"""Static storage of the benchmark server: the production one without source-map rewriting.

The vendored Chart.js ends with `//# sourceMappingURL=chart.umd.min.js.map` but the map is not
shipped, so the manifest post-processing of `collectstatic` stops on it. Pages only need the
manifest to resolve `{% static %}`; the benchmark does not load static files at all.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class BenchStaticStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (extension, tuple(p for p in found if "sourceMappingURL" not in str(p)))
        for extension, found in CompressedManifestStaticFilesStorage.patterns
    )
