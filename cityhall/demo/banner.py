"""What `make run` prints once the platform is up: where to go and how to sign in."""

from __future__ import annotations


def demo_banner(base_url: str) -> str:
    """The addresses of the portal and the back office."""
    return (
        "\nCityHall is running.\n"
        f"  Citizen portal: {base_url}/en/  (français : {base_url}/fr/)\n"
        f"  Back office:    {base_url}/en/staff/\n"
        "Press Ctrl-C to stop.\n"
    )
