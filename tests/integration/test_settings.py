import pytest
from django.test import Client


@pytest.mark.django_db
def test_register_redirects_anonymous_visitor_to_sign_in(client: Client) -> None:
    response = client.get("/authorisations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
