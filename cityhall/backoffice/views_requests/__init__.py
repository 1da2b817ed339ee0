"""The staff work queue: the list of requests to handle, one request's page, bulk actions."""
