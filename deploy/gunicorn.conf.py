"""gunicorn settings for one GeoCivic app server (systemd unit geocivic-web@PORT).

The bind address comes from GEO_CIVIC_BIND (the unit sets it from its instance name). Sync
workers: each request holds one database connection for its length, and PostgreSQL does the work.
"""

import multiprocessing
import os

bind = os.environ.get("GEO_CIVIC_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GEO_CIVIC_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 60
graceful_timeout = 20
# Recycle workers now and then, staggered, so a slow leak never takes a server down.
max_requests = 2000
max_requests_jitter = 200
# nginx on this machine is the only proxy: trust its X-Forwarded-* headers.
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
