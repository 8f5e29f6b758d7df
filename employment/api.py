"""/api/v1/employment/: the ledger over HTTP, same conventions as the case API (errors as
{"detail", "errors"}, 404 for what is not yours to see, 409 for a state that forbids it)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import InvalidInput, NotFound
from employment import access, errors, imports, referrals, reported, selectors, services
from employment import serializers as io
from employment.models import ClosedPlant, LedgerEntry, Target

ROSTER_INVALID = "花名册有误，未导入任何人员。"


class UsesLedger(BasePermission):
    message = "只有就业台账的工作人员可以访问。"

    def has_permission(self, request, view):
        return access.may_use_ledger(request.user)


class KeepsRegisters(BasePermission):
    message = "只有乡镇就业服务站和县级人员可以进行此项操作。"

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return access.may_use_ledger(request.user)
        return access.may_keep_registers(request.user)


class KeepsRegistersOnly(BasePermission):
    """Progress, targets and the monthly dispatch: township stations and the county."""

    message = KeepsRegisters.message

    def has_permission(self, request, view):
        return access.may_keep_registers(request.user)


class VillageList(generics.ListAPIView):
    permission_classes = [UsesLedger]
    serializer_class = io.VillageOutput
    pagination_class = None

    def get_queryset(self):
        return selectors.villages_for(self.request.user)


class LedgerListCreate(generics.ListAPIView):
    permission_classes = [UsesLedger]
    serializer_class = io.EntryListItem

    @extend_schema(
        parameters=[
            OpenApiParameter(name, str)
            for name in ("q", "township", "village", "category", "status", "plant", "overdue")
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = selectors.LedgerFilters.from_query(self.request.query_params)
        return selectors.ledger_list(self.request.user, filters)

    @extend_schema(request=io.EntryInput, responses={201: io.EntryDetail})
    def post(self, request):
        data = io.EntryInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.ledger_entry_create(actor=request.user, **data.validated_data)
        return Response(_detail(request.user, entry.pk), status=status.HTTP_201_CREATED)


def _entry_or_404(user, entry_id) -> LedgerEntry:
    entry = selectors.entry_detail(user, entry_id)
    if entry is None:
        raise NotFound(errors.ENTRY_NOT_FOUND)
    return entry


def _detail(user, entry_id) -> dict:
    entry = _entry_or_404(user, entry_id)
    entry.history = selectors.entry_history(entry)
    entry.service_items = selectors.entry_services(entry)
    entry.referral_list = selectors.entry_referrals(entry)
    return io.EntryDetail(entry).data


class LedgerDetail(APIView):
    permission_classes = [UsesLedger]

    @extend_schema(responses=io.EntryDetail)
    def get(self, request, entry_id):
        return Response(_detail(request.user, entry_id))


class LedgerStatus(APIView):
    permission_classes = [UsesLedger]

    @extend_schema(request=io.StatusInput, responses=io.EntryDetail)
    def post(self, request, entry_id):
        data = io.StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        _entry_or_404(request.user, entry_id)
        services.ledger_status_change(actor=request.user, entry_id=entry_id, **data.validated_data)
        return Response(_detail(request.user, entry_id))


class ServicesDue(APIView):
    permission_classes = [UsesLedger]

    @extend_schema(responses=io.ServiceItemOutput(many=True))
    def get(self, request):
        items = selectors.due_this_week(request.user)
        return Response(io.ServiceItemOutput(items, many=True).data)


class ServiceComplete(APIView):
    permission_classes = [UsesLedger]

    @extend_schema(request=io.ServiceDoneInput, responses=io.ServiceItemOutput)
    def post(self, request, item_id):
        data = io.ServiceDoneInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.service_item_complete(
            actor=request.user, item_id=item_id, **data.validated_data
        )
        return Response(io.ServiceItemOutput(item).data)


class ReferralCreate(APIView):
    permission_classes = [UsesLedger]

    @extend_schema(request=io.ReferralInput, responses={201: io.ReferralOutput})
    def post(self, request):
        data = io.ReferralInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        referral = referrals.referral_record(
            actor=request.user,
            entry_id=values.pop("entry"),
            posting_id=values.pop("posting"),
            **values,
        )
        return Response(io.ReferralOutput(referral).data, status=status.HTTP_201_CREATED)


class ReferralOutcome(APIView):
    permission_classes = [UsesLedger]

    @extend_schema(request=io.OutcomeInput, responses=io.ReferralOutput)
    def post(self, request, referral_id):
        data = io.OutcomeInput(data=request.data)
        data.is_valid(raise_exception=True)
        referral = referrals.referral_outcome_set(
            actor=request.user, referral_id=referral_id, **data.validated_data
        )
        return Response(io.ReferralOutput(referral).data)


class PlantListCreate(generics.ListAPIView):
    permission_classes = [KeepsRegisters]
    serializer_class = io.PlantOutput
    pagination_class = None

    def get_queryset(self):
        return selectors.plants_for(self.request.user)

    @extend_schema(request=io.PlantInput, responses={201: io.PlantOutput})
    def post(self, request):
        data = io.PlantInput(data=request.data)
        data.is_valid(raise_exception=True)
        plant = services.plant_register(actor=request.user, **data.validated_data)
        plant = selectors.plants_for(request.user).get(pk=plant.pk)
        return Response(io.PlantOutput(plant).data, status=status.HTTP_201_CREATED)


def _plant_or_404(user, plant_id) -> ClosedPlant:
    plant = selectors.plants_for(user).filter(pk=plant_id).first()
    if plant is None:
        raise NotFound(errors.PLANT_NOT_FOUND)
    return plant


class PlantDetail(APIView):
    permission_classes = [UsesLedger]

    @extend_schema(responses=io.PlantOutput)
    def get(self, request, plant_id):
        return Response(io.PlantOutput(_plant_or_404(request.user, plant_id)).data)


class PlantRoster(APIView):
    """The roster as a .xlsx file (multipart field `file`): all rows or none."""

    permission_classes = [KeepsRegisters]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={
            201: inline_serializer("RosterImported", {"imported": serializers.IntegerField()})
        },
    )
    def post(self, request, plant_id):
        plant = _plant_or_404(request.user, plant_id)
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("请上传花名册文件（字段 file）。", {"file": ["必填。"]})
        report = imports.plant_roster_import(actor=request.user, plant=plant, upload=upload)
        if not report.ok:
            rows = [{"row": e.row, "column": e.column, "message": e.message} for e in report.errors]
            return Response(
                {"detail": ROSTER_INVALID, "errors": {"rows": rows}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"imported": len(report.imported)}, status=status.HTTP_201_CREATED)


class PostingListCreate(generics.ListCreateAPIView):
    permission_classes = [KeepsRegisters]
    serializer_class = io.PostingSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.postings_open()


YEAR_INVALID = "年度应为2000至2100之间的数字。"


def _year(request) -> int:
    try:
        year = int(request.query_params.get("year") or timezone.localdate().year)
    except ValueError as error:
        raise InvalidInput(YEAR_INVALID, {"year": [YEAR_INVALID]}) from error
    if not 2000 <= year <= 2100:
        raise InvalidInput(YEAR_INVALID, {"year": [YEAR_INVALID]})
    return year


class Progress(APIView):
    permission_classes = [KeepsRegistersOnly]

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(selectors.screen_summary_for_year(_year(request)))


class TargetDetail(APIView):
    permission_classes = [KeepsRegistersOnly]

    @extend_schema(responses=io.TargetSerializer)
    def get(self, request, year):
        target = Target.objects.filter(year=year).first()
        if target is None:
            raise NotFound("该年度尚未录入目标。")
        return Response(io.TargetSerializer(target).data)

    @extend_schema(request=io.TargetSerializer, responses=io.TargetSerializer)
    def put(self, request, year):
        data = io.TargetSerializer(data={**request.data, "year": year})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        shares = {
            s["township"].pk: (s["urban_new"], s["rural_transfer"])
            for s in values.pop("shares", [])
        }
        target = services.target_set(actor=request.user, shares=shares, **values)
        return Response(io.TargetSerializer(target).data)


class Dispatch(APIView):
    permission_classes = [KeepsRegistersOnly]

    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("month", int)],
        responses=io.DispatchOutput,
    )
    def get(self, request):
        year = _year(request)
        try:
            month = int(request.query_params.get("month") or timezone.localdate().month)
            if not 1 <= month <= 12:
                raise ValueError
        except ValueError as error:
            raise InvalidInput("月份应为1至12。", {"month": ["月份应为1至12。"]}) from error
        report = reported.dispatch_for_month(year=year, month=month)
        return Response(io.DispatchOutput(report).data)
