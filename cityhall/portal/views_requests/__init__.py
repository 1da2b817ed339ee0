"""The citizen's request pages: find a service, file a request, follow it."""
