"""HTTP API for subsidy policies, applications and approval tasks (docs/api.md)."""

import datetime as dt

from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.throttling import PublicRateThrottle
from workflows import applicant_status, errors, selectors, services
from workflows import serializers as io


class WorksOnSubsidies(BasePermission):
    message = "只有补贴审核、审批和财务人员可以访问。"

    def has_permission(self, request, view):
        return selectors.may_work_on_subsidies(request.user)


def _detail(user, application_id, *, query_code=None):
    application = selectors.application_detail(user, application_id)
    application.query_code = query_code  # a new application's code, shown only now
    task = selectors.open_task_of(application)
    context = {"open_tasks": {application.pk: task} if task else {}}
    return io.ApplicationOutput(application, context=context).data


class PolicyList(APIView):
    """The policy table in force today (?on=YYYY-MM-DD for another day); public."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("on", str)], responses=io.PolicyOutput(many=True))
    def get(self, request):
        on = request.query_params.get("on")
        try:
            day = dt.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise errors.InvalidInput(
                "on 须为日期 YYYY-MM-DD。", {"on": ["日期格式错误。"]}
            ) from None
        return Response(io.PolicyOutput(selectors.policies_in_force(day), many=True).data)


class ApplicantStatus(APIView):
    """What the applicant may see of an application, with its number and query code.

    No account: the code is the proof. A wrong code answers exactly like an unknown
    number (404). Rate limited per IP in the complaint look-up's scope, so one budget
    covers guessing at both.
    """

    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        parameters=[OpenApiParameter("query_code", str, required=True)],
        responses=applicant_status.ApplicantStatusOutput,
    )
    def get(self, request, number):
        application = selectors.application_for_applicant(
            number, request.query_params.get("query_code", "")
        )
        view = applicant_status.applicant_status(application)
        response = Response(applicant_status.ApplicantStatusOutput(view).data)
        add_never_cache_headers(response)  # names and amounts: not for shared caches
        return response


class ApplicationListCreate(generics.ListAPIView):
    permission_classes = [WorksOnSubsidies]
    serializer_class = io.ApplicationListItem

    @extend_schema(parameters=[OpenApiParameter("state", str), OpenApiParameter("policy", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.applications_listed(
            self.request.user, state=params.get("state"), policy=params.get("policy")
        )

    @extend_schema(request=io.ApplicationInput, responses={201: io.ApplicationOutput})
    def post(self, request):
        form = io.ApplicationInput(data=request.data)
        form.is_valid(raise_exception=True)
        application = services.application_submit(data=form.to_data(), actor=request.user)
        body = _detail(request.user, application.pk, query_code=application.query_code)
        return Response(body, status=status.HTTP_201_CREATED)


class ApplicationDetail(APIView):
    permission_classes = [WorksOnSubsidies]

    @extend_schema(responses=io.ApplicationOutput)
    def get(self, request, application_id):
        return Response(_detail(request.user, application_id))


class ApplicationCorrection(APIView):
    """Resubmit a returned application, corrected; it goes back to the step that returned it."""

    permission_classes = [WorksOnSubsidies]

    @extend_schema(request=io.CorrectionInput, responses=io.ApplicationOutput)
    def post(self, request, application_id):
        form = io.CorrectionInput(data=request.data)
        form.is_valid(raise_exception=True)
        services.application_correct(
            application_id=application_id,
            data=form.to_data(),
            actor=request.user,
            note=form.validated_data.get("note", ""),
        )
        return Response(_detail(request.user, application_id))


class TaskList(APIView):
    """The signed-in user's approval tasks."""

    permission_classes = [WorksOnSubsidies]

    @extend_schema(
        responses=inline_serializer(
            "SubsidyTask",
            {
                "id": serializers.IntegerField(),
                "step": serializers.CharField(),
                "label": serializers.CharField(),
                "status": serializers.CharField(),
                "created": serializers.DateTimeField(),
                "application": serializers.DictField(),
                "decisions": serializers.ListField(child=serializers.CharField()),
                "may_approve": serializers.BooleanField(),
                "notice": serializers.CharField(),
            },
            many=True,
        )
    )
    def get(self, request):
        services.notices_close_due()
        tasks = selectors.tasks_for(request.user)
        return Response(io.tasks_output(tasks, request.user))


class TaskDecision(APIView):
    permission_classes = [WorksOnSubsidies]

    @extend_schema(request=io.DecisionInput, responses=io.ApplicationOutput)
    def post(self, request, task_id):
        form = io.DecisionInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        application = services.task_decide(
            task_id=task_id,
            actor=request.user,
            decision=data["decision"],
            note=data.get("note", ""),
            paid_amount=data.get("paid_amount"),
            paid_on=data.get("paid_on"),
            payment_reference=data.get("payment_reference", ""),
        )
        return Response(_detail(request.user, application.pk))
