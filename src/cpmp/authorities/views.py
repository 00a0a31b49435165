from django.http import HttpRequest, HttpResponse


def register(request: HttpRequest) -> HttpResponse:
    return HttpResponse("register")
