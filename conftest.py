"""Root pytest configuration: CityHall's shared fixtures live in cityhall/core/testing.py.

Test-run environment defaults are declared in pyproject.toml ([tool.pytest.ini_options] env).
"""

pytest_plugins = [
    "cityhall.core.testing",
    "cityhall.alerts.testing",
    "cityhall.core.smtp_testing",
    "cluster.testing",
]
