from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ingestion.services.webhooks.intake import delivery_receive


@csrf_exempt
@require_POST
def github_webhook(request: HttpRequest) -> JsonResponse:
    limit = settings.WEBHOOK_MAX_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        return JsonResponse({"detail": f"payload larger than WEBHOOK_MAX_BYTES ({limit} bytes)"}, status=413)
    # request.read() rather than request.body: the body may exceed DATA_UPLOAD_MAX_MEMORY_SIZE.
    body = request.read(limit + 1)
    result = delivery_receive(
        body=body,
        event=request.headers.get("X-GitHub-Event"),
        delivery_id=request.headers.get("X-GitHub-Delivery"),
        signature=request.headers.get("X-Hub-Signature-256"),
        secret=settings.GITHUB_WEBHOOK_SECRET,
    )
    return JsonResponse(
        {"detail": result.message, "delivery_id": result.delivery_id, "duplicate": result.duplicate},
        status=result.status_code,
    )
