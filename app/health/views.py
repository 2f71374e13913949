"""`/saglik/`: JSON for monitoring and the appliance test; 200 when healthy, 503 otherwise."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from app.health.checks import current_health


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    result = current_health()
    details = request.user.is_authenticated and request.user.is_staff
    return JsonResponse(result.as_json(details=details), status=200 if result.ok else 503)
