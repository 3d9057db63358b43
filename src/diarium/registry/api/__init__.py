"""The registry's part of the REST API: serializers and views, routed by diarium.api.urls."""
