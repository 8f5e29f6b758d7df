"""HTTP API of the blacklist (/api/v1/blacklist/) and the publications
(/api/v1/publications/): case staff read; each POST validates its input and calls one
service, whose refusals become the API's JSON errors (core.api_errors)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement import publications, selectors, services
from enforcement import serializers as io


class IsCaseStaff(BasePermission):
    message = "只有办案人员可以访问失信名单和社会公布。"

    def has_permission(self, request, view):
        return selectors.may_read(request.user)


def _entry(entry_id: int) -> Response:
    return Response(io.EntryDetailOutput(selectors.entry_detail(entry_id)).data)


class BlacklistList(generics.ListAPIView):
    permission_classes = [IsCaseStaff]
    serializer_class = io.EntryOutput

    def get_queryset(self):
        return selectors.entries(selectors.EntryFilters.from_query(self.request.query_params))

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str),
            OpenApiParameter("township", str),
            OpenApiParameter("q", str, description="用人单位名称"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=io.ProposeInput, responses={201: io.EntryDetailOutput})
    def post(self, request):
        form = io.ProposeInput(data=request.data)
        form.is_valid(raise_exception=True)
        entry = services.blacklist_propose(actor=request.user, **form.validated_data)
        response = _entry(entry.pk)
        response.status_code = status.HTTP_201_CREATED
        return response


class BlacklistDetail(APIView):
    permission_classes = [IsCaseStaff]

    @extend_schema(responses=io.EntryDetailOutput)
    def get(self, request, entry_id):
        return _entry(entry_id)


class BlacklistDecide(APIView):
    permission_classes = [IsCaseStaff]

    @extend_schema(request=io.DecideInput, responses=io.EntryDetailOutput)
    def post(self, request, entry_id):
        form = io.DecideInput(data=request.data)
        form.is_valid(raise_exception=True)
        services.blacklist_decide(entry_id=entry_id, actor=request.user, **form.validated_data)
        return _entry(entry_id)


class BlacklistNotify(APIView):
    permission_classes = [IsCaseStaff]

    @extend_schema(request=io.NotifyInput, responses=io.EntryDetailOutput)
    def post(self, request, entry_id):
        form = io.NotifyInput(data=request.data)
        form.is_valid(raise_exception=True)
        services.blacklist_employer_notify(
            entry_id=entry_id, actor=request.user, **form.validated_data
        )
        return _entry(entry_id)


class BlacklistRemovalApply(APIView):
    permission_classes = [IsCaseStaff]

    @extend_schema(request=io.RemovalApplyInput, responses=io.EntryDetailOutput)
    def post(self, request, entry_id):
        form = io.RemovalApplyInput(data=request.data)
        form.is_valid(raise_exception=True)
        services.blacklist_removal_apply(
            entry_id=entry_id, actor=request.user, **form.validated_data
        )
        return _entry(entry_id)


class BlacklistRemovalDecide(APIView):
    permission_classes = [IsCaseStaff]

    @extend_schema(request=io.RemovalDecideInput, responses=io.EntryDetailOutput)
    def post(self, request, entry_id):
        form = io.RemovalDecideInput(data=request.data)
        form.is_valid(raise_exception=True)
        services.blacklist_removal_decide(
            entry_id=entry_id, actor=request.user, **form.validated_data
        )
        return _entry(entry_id)


class PublicationList(generics.ListAPIView):
    permission_classes = [IsCaseStaff]
    serializer_class = io.PublicationOutput

    def get_queryset(self):
        return selectors.publications().prefetch_related("items")

    @extend_schema(request=io.DraftInput, responses={201: io.PublicationOutput})
    def post(self, request):
        form = io.DraftInput(data=request.data)
        form.is_valid(raise_exception=True)
        publication = publications.publication_draft(actor=request.user, **form.validated_data)
        data = io.PublicationOutput(selectors.publication_detail(publication.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)


class PublicationDetail(APIView):
    permission_classes = [IsCaseStaff]

    @extend_schema(responses=io.PublicationOutput)
    def get(self, request, publication_id):
        return Response(io.PublicationOutput(selectors.publication_detail(publication_id)).data)


class PublicationApprove(APIView):
    permission_classes = [IsCaseStaff]

    @extend_schema(request=None, responses=io.PublicationOutput)
    def post(self, request, publication_id):
        publications.publication_approve(publication_id=publication_id, actor=request.user)
        return Response(io.PublicationOutput(selectors.publication_detail(publication_id)).data)
