"""Logged-in clients for the permission tests: the API's and the staff UI's."""

from django.test import Client
from rest_framework.test import APIClient


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ui(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
