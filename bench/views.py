"""The baseline for complaint filing: the least a Django view can do for the same
request: parse the JSON body, insert one comparable row, answer JSON."""

import json

from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare_insert(request):
    body = json.loads(request.body)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_baseline (kind, employer, description, body, received_at)"
            " VALUES (%s, %s, %s, %s, now()) RETURNING id",
            [
                body["kind"],
                body["employer"]["name"],
                body["description"],
                json.dumps(body, ensure_ascii=False),
            ],
        )
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)
