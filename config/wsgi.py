import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.checks import refuse_default_secret_key  # noqa: E402  (needs the settings loaded above)
from config.gc_freeze import freeze_when_warm  # noqa: E402

refuse_default_secret_key()

# Everything loaded at start-up lives as long as the process: move it out of the garbage
# collector's sight so full collections during a request only walk that request's objects
# (halved the results page of a 1,200-answer set in `make bench`); the templates first, and
# once more after the first requests (config/gc_freeze.py).
freeze_when_warm()

# The web server (runserver and gunicorn both import this module; management commands
# and tests do not) loads the embedding model and the posting analyser's skill index in
# the background as it starts: the first pages answer at once, and the first posting
# analysis waits at most for the rest of that one load instead of doing it all itself
# (30 s and more on a busy or cold machine). torch and the model triple the objects the
# collector tracks (180k -> 520k; a full collection then took 160 ms here), so they are
# frozen too once loaded.
from interviews import embeddings  # noqa: E402


def _after_model_loaded() -> None:
    from django.db import connection

    from interviews.postings.analysis import analyze_offline

    try:
        analyze_offline("Machine Learning Engineer\nRequirements:\n- PyTorch and A/B tests")
    except Exception:  # e.g. a database not migrated yet: the first analysis builds it instead
        embeddings.log.exception("Warming up the posting analyser failed")
    finally:
        connection.close()  # this thread's own connection
    gc.freeze()


embeddings.preload_in_background(then=_after_model_loaded)
