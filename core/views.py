from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else None
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "500.html", status=500)


def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})
