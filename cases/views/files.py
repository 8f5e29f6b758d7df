"""Files staff take away or bring in: Word documents, the Excel ledger, imports."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases import documents, errors, imports, ledger, selectors
from cases.views.workbench import staff_required
from core.downloads import DOCX, XLSX, attachment
from core.sheet_import import ImportReport, RowError


@staff_required
def document(request, case_number, code):
    case = selectors.case_for_staff(request.user, case_number)
    if case is None:
        raise Http404(errors.CASE_NOT_FOUND)
    if code not in {kind.code for kind in documents.available(case)}:
        raise Http404("该案件当前没有这份文书。")
    return attachment(documents.render(case, code), DOCX, documents.download_name(case, code))


@staff_required
def ledger_export(request):
    filters = selectors.QueueFilters.from_query(request.GET)
    workbook = ledger.ledger_file(selectors.ledger_cases(request.user, filters))
    name = f"案件台账-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(workbook, as_attachment=True, filename=name, content_type=XLSX)


@staff_required
def import_template(request):
    return attachment(imports.template_workbook(), XLSX, "投诉导入模板.xlsx")


@staff_required
@require_http_methods(["GET", "POST"])
def import_complaints(request):
    if request.method == "GET":
        return render(request, "workbench/import.html", {"columns": imports.COLUMNS})
    upload = request.FILES.get("file")
    if upload is None:
        report = ImportReport(errors=[RowError(0, "", "请选择要导入的文件。")])
    else:
        report = imports.import_complaints(upload, request=request)
    context = {"columns": imports.COLUMNS, "report": report}
    return render(request, "workbench/import.html", context, status=200 if report.ok else 400)
