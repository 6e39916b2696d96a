"""The JSON API ``/api/v1/`` (Django REST framework): the apps' door to the same services."""
