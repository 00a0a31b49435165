from django.http import HttpRequest, HttpResponse


def import_start(request: HttpRequest) -> HttpResponse:
    return HttpResponse("import")
