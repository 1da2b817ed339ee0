"""The back office's alert pages: drafting (authoring), the alert's page with approval and
sending figures (review), and alerts received from other authorities (incoming)."""
