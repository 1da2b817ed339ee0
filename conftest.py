"""Root pytest configuration: CityHall's shared fixtures live in cityhall/core/testing.py."""

import os

os.environ.setdefault("CITYHALL_ENV", "test")
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.setdefault("EMAIL_URL", "locmem://")
# A Redis database of its own, so that tests never touch a development queue.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

pytest_plugins = ["cityhall.core.testing", "cityhall.core.smtp_testing"]
