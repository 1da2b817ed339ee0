"""Root pytest configuration: CityHall's shared fixtures live in cityhall/core/testing.py."""

import os

os.environ.setdefault("CITYHALL_ENV", "test")
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.setdefault("EMAIL_URL", "locmem://")

pytest_plugins = ["cityhall.core.testing"]
