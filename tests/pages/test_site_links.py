"""Every page's footer leads to the open-data catalogue and the API documentation."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/embed/", "/comptes/login/", "/data/", "/api/docs/", "/communes/97411/"]


@pytest.mark.parametrize("url", PAGES)
def test_the_footer_links_open_data_and_the_api(client, reunion_communes, url):
    page = client.get(url, follow=True).content.decode()
    assert '<a href="/data/">Données ouvertes</a>' in page, url
    assert '<a href="/api/docs/">API</a>' in page, url


def test_the_api_page_loads_swagger_ui_from_our_bundle_and_names_the_document(client):
    page = client.get("/api/docs/").content.decode()
    assert 'data-url="/api/schema/"' in page
    assert '<script type="module" src="/static/build/api_docs' in page
    assert "<style" not in page and "<script>" not in page
