"""HTTP API for complaints, cases, townships and transitions (docs/api.md)."""

from django.conf import settings as django_settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import complaint_inputs, errors, filing, selectors, services
from cases import serializers as out
from cases.errors import UNKNOWN_CASE_OR_CODE  # noqa: F401  (the tests import it from here)
from cases.idempotency import IdempotentPost
from cases.models import Case, CaseState
from config.client_address import client_address
from core import roles
from core.models import Township
from core.serializers import TownshipSerializer
from core.throttling import PublicRateThrottle

BODY_NOT_OBJECT = "请求体须为JSON对象（键值对）。"
DUPLICATE_DETAIL = (
    "您反映的问题已有在办案件，已将本次投诉并入该案。请使用首次投诉时获得的查询码查询进度。"
)
# To an anonymous filer whose complaint matched an open case: nothing about that case
# (whose it is, its number, state or dates), only what happens next.
MERGED_DETAIL = (
    "您反映的问题已有在办案件，本次投诉已提交并入该案，工作人员核实后处理；"
    "该案的劳动者会收到短信通知。请使用首次投诉时获得的查询码查询进度。"
)


class IsCaseStaff(BasePermission):
    message = "只有办案人员可以查看案件。"

    def has_permission(self, request, view):
        return roles.has_any_role(request.user, roles.CASE_ROLES)


class IsStaff(BasePermission):
    message = "只有工作人员可以访问。"

    def has_permission(self, request, view):
        return bool(roles.user_roles(request.user))


class TownshipList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = TownshipSerializer
    queryset = Township.objects.all()
    pagination_class = None


# The 409 for a key used before with another complaint.
KEY_USED_FOR_ANOTHER_COMPLAINT = "Idempotency-Key 已用于另一份不同的投诉。"


class ComplaintCreate(IdempotentPost, APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "complaints"
    idempotency_mismatch = KEY_USED_FOR_ANOTHER_COMPLAINT
    idempotency_sealed = ("query_code",)  # the new case's code, kept encrypted

    @extend_schema(
        request=complaint_inputs.ComplaintInput,
        responses={201: out.FiledComplaintOutput, 200: out.FiledComplaintOutput},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request):
        form = complaint_inputs.ComplaintInput(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        staff = request.user if request.user.is_authenticated else None
        return self.once(
            request,
            lambda: _filed(filing.complaint_file_validated(data=form.validated_data, actor=staff)),
        )


def _filed(result) -> Response:
    if result.submission is not None:
        return Response({"merged": True, "detail": MERGED_DETAIL}, status=status.HTTP_200_OK)
    case = result.case
    body = {
        "case_number": case.number,
        "state": case.state,
        "received_at": timezone.localtime(case.received_at).isoformat(),
        "deadline": case.deadline.isoformat() if case.deadline else None,
    }
    if result.created:
        body = {**body, "query_code": result.query_code}
        return Response(body, status=status.HTTP_201_CREATED)
    body = {**body, "duplicate_of": case.number, "detail": DUPLICATE_DETAIL}
    return Response(body, status=status.HTTP_200_OK)


class ComplaintStatus(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        parameters=[OpenApiParameter("query_code", str, required=True)],
        responses=out.WorkerCaseView,
    )
    def get(self, request, case_number):
        case = selectors.worker_case(case_number, request.query_params.get("query_code", ""))
        return Response(out.WorkerCaseView(case).data)


# A multipart body carries a few bytes besides the file: boundaries, part headers, the code.
UPLOAD_OVERHEAD_BYTES = 64 * 1024
QUERY_CODE_HEADER = "HTTP_X_QUERY_CODE"


class EvidenceStreamLimit(FileUploadHandler):
    """Counts the uploaded files' bytes as they arrive and stops reading the request as
    soon as they pass the evidence cap, without reading the rest (connection_reset):
    a 50 MB upload costs at most the cap, and nothing of it is kept."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = django_settings.EVIDENCE_MAX_BYTES
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file


def _too_large() -> errors.TooLarge:
    message = services.EVIDENCE_TOO_LARGE.format(
        limit=services.human_size(django_settings.EVIDENCE_MAX_BYTES)
    )
    return errors.TooLarge(message, {"file": [message]})


class EvidenceUploadView(APIView):
    """Evidence uploads: the declared size is checked before authentication reads
    anything, the case (and a worker's code) before the body (post), and the body is
    read through EvidenceStreamLimit."""

    parser_classes = [MultiPartParser, FormParser]

    def initial(self, request, *args, **kwargs):
        self.stream_limit = EvidenceStreamLimit(request._request)
        # Before anything parses the body (a session's CSRF check reads request.POST).
        # A form-encoded body was parsed already (config.middleware's NUL check): it
        # carries no file, and Django refuses new handlers once a body is parsed.
        if not hasattr(request._request, "_files"):
            request._request.upload_handlers = [
                self.stream_limit,
                *request._request.upload_handlers,
            ]
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > django_settings.EVIDENCE_MAX_BYTES + UPLOAD_OVERHEAD_BYTES:
            raise _too_large()
        super().initial(request, *args, **kwargs)

    def evidence_respond(self, case, request):
        upload = request.FILES.get("file")
        if self.stream_limit.exceeded:
            raise _too_large()
        return _evidence_response(case, upload, request)


class ComplaintEvidenceUpload(EvidenceUploadView):
    """A worker adds photos or PDFs to their own case, with its number and code (best in
    the query string or the X-Query-Code header: then a wrong one is refused before any
    of the body is read; a `query_code` form field still works)."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "uploads"

    @extend_schema(
        request=inline_serializer(
            "EvidenceUpload",
            {"file": serializers.FileField(), "query_code": serializers.CharField()},
        ),
        responses={201: out.EvidenceOutput},
    )
    def post(self, request, case_number):
        code = request.query_params.get("query_code") or request.META.get(QUERY_CODE_HEADER, "")
        if not code:  # only in the body: read it, within the cap
            code = request.data.get("query_code") or ""
        case = selectors.worker_case(case_number, code)
        return self.evidence_respond(case, request)


def _evidence_response(case, upload, request):
    if upload is None:
        raise errors.InvalidInput("请选择要上传的文件。", {"file": ["请选择要上传的文件。"]})
    evidence = services.evidence_add(case=case, upload=upload, actor=request.user)
    return Response(out.EvidenceOutput(evidence).data, status=status.HTTP_201_CREATED)


class CaseList(generics.ListAPIView):
    permission_classes = [IsCaseStaff]
    serializer_class = out.CaseListItem

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str),
            OpenApiParameter("kind", str),
            OpenApiParameter("township", str),
            OpenApiParameter("risk_level", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("q", str),
            OpenApiParameter(
                "ordering",
                str,
                enum=["deadline", "-deadline", "received_at", "-received_at", "-risk_score"],
            ),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.cases_listed(self.request.user, self.request.query_params)


class CaseDetail(APIView):
    permission_classes = [IsCaseStaff]

    @extend_schema(responses=out.CaseDetail)
    def get(self, request, case_number):
        return Response(out.CaseDetail(selectors.case_detail(request.user, case_number)).data)


TransitionOption = inline_serializer(
    "TransitionOption",
    {
        "name": serializers.CharField(),
        "target": serializers.CharField(),
        "label": serializers.CharField(),
        "fields": serializers.ListField(child=serializers.DictField()),
    },
    many=True,
)


class CaseTransitions(APIView):
    permission_classes = [IsCaseStaff]

    @extend_schema(responses=TransitionOption)
    def get(self, request, case_number):
        return Response(selectors.transition_options(user=request.user, case_number=case_number))


class CaseTransitionRun(APIView):
    permission_classes = [IsCaseStaff]

    @extend_schema(
        request=inline_serializer(
            "TransitionInput",
            {
                "note": serializers.CharField(required=False),
                "version": serializers.IntegerField(required=False),
            },
        ),
        responses=out.CaseDetail,
    )
    def post(self, request, case_number, name):
        data, expected = _inputs_and_version(request.data)
        services.case_transition(
            case_number=case_number,
            name=name,
            actor=request.user,
            data=data,
            expected_version=expected,
        )
        return Response(out.CaseDetail(selectors.case_detail(request.user, case_number)).data)


def _inputs_and_version(body) -> tuple[dict, int | None]:
    """A transition's inputs, and the case version the caller saw (if it says)."""
    # A JSON array or scalar is valid JSON but not a form: refuse it with a 400.
    # (A QueryDict from a form post is a dict too.)
    if not isinstance(body, dict):
        raise errors.InvalidInput(BODY_NOT_OBJECT, {"non_field_errors": [BODY_NOT_OBJECT]})
    data = body.copy()
    version = data.pop("version", None)
    if isinstance(version, list):
        version = version[0]
    try:
        expected = int(version) if version not in (None, "") else None
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(inf)
        raise errors.InvalidInput("version 必须是整数。", {"version": ["必须是整数。"]}) from None
    return data, expected


class CaseEvidenceUpload(EvidenceUploadView):
    permission_classes = [IsCaseStaff]

    @extend_schema(
        request=inline_serializer("StaffEvidenceUpload", {"file": serializers.FileField()}),
        responses={201: out.EvidenceOutput},
    )
    def post(self, request, case_number):
        case = selectors.visible_case(user=request.user, case_number=case_number)
        return self.evidence_respond(case, request)


class ClaimantReveal(APIView):
    """A claimant's full ID number or phone, for the case roles that need it; each
    call is recorded (cases.models.PersonalDataAccess)."""

    permission_classes = [IsCaseStaff]

    @extend_schema(
        request=inline_serializer(
            "RevealInput",
            {
                "field": serializers.ChoiceField(choices=["id_number", "phone"]),
                "purpose": serializers.CharField(required=False, max_length=200),
            },
        ),
        responses=inline_serializer(
            "RevealOutput", {"field": serializers.CharField(), "value": serializers.CharField()}
        ),
    )
    def post(self, request, case_number, claim_id):
        data = request.data if isinstance(request.data, dict) else {}
        field = str(data.get("field", ""))
        value = services.person_reveal(
            user=request.user,
            case_number=case_number,
            claim_id=claim_id,
            field=field,
            purpose=str(data.get("purpose", "")),
            ip_address=client_address(request),
        )
        response = Response({"field": field, "value": value})
        add_never_cache_headers(response)  # the full number stays out of every cache
        return response


class EmployerList(generics.ListAPIView):
    permission_classes = [IsStaff]
    serializer_class = out.EmployerOutput

    @extend_schema(parameters=[OpenApiParameter("q", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.employers_matching(self.request.query_params.get("q", ""))


def case_or_404(number):
    return get_object_or_404(Case, number=number)


__all__ = ["CaseState"]
