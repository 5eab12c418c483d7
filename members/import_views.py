"""Pages of the register import (upload → preview → confirm → result) and the register export.

Thin, as everywhere: the work is in members.importing and members.exporting. Batches are
reached only through ``ImportBatch.objects.visible_to``, so another county's batch is a 404.
"""

import tempfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from organization.forms import bootstrapify
from organization.generic import ScopedViewMixin

from . import exporting, importing, selectors, tasks
from .models import ImportBatch, ImportBatchStatus

ROWS_PER_PAGE = 200


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 台账（.xlsx）"),
        help_text=gettext_lazy("不超过 20 MB。表头可在前 15 行内，上方可有标题行；合计行、签名行和空行不计。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件超过 20 MB，请拆分成几个文件分别导入。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("只能导入 Excel 工作簿（.xlsx）。旧版 .xls 文件请先“另存为” .xlsx。"))
        try:
            importing.check_upload(upload)
        except importing.RegisterFileError as error:
            raise ValidationError(error.message) from None
        return upload


class ImportUploadView(ScopedViewMixin, FormView):
    """Step 1: the county's workbook is stored and checked; small files at once, large ones in Celery."""

    queryset = ImportBatch.objects.all()
    scope_action = "add"
    form_class = RegisterUploadForm
    template_name = "members/import_upload.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            batch = importing.batch_create(user=self.request.user, upload=upload, original_name=upload.name)
        except importing.RegisterFileError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        if upload.size > importing.async_byte_threshold():
            transaction.on_commit(lambda: tasks.queue_check(batch.pk))  # a broker outage fails the batch, with why
            return redirect(batch.get_absolute_url())
        batch = importing.batch_preview(batch)
        if batch.status == ImportBatchStatus.FAILED:
            # A file that cannot be read is one message on the form, not a batch to keep.
            form.add_error("file", batch.message)
            batch.file.delete(save=False)
            batch.delete()
            return self.form_invalid(form)
        return redirect(batch.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = self.get_queryset().select_related("created_by")[:10]
        return context


class ImportBatchListView(ScopedViewMixin, ListView):
    queryset = ImportBatch.objects.select_related("created_by")
    template_name = "members/import_list.html"
    paginate_by = 50
    context_object_name = "batches"


class BatchMixin(ScopedViewMixin, SingleObjectMixin):
    queryset = ImportBatch.objects.select_related("created_by", "rolled_back_by", "region")
    context_object_name = "batch"


class ImportBatchDetailView(BatchMixin, View):
    """Step 2 and 4: the preview row by row with the confirm button, or the result."""

    template_name = "members/import_batch.html"

    def get(self, request, *args, **kwargs):
        self.object = batch = self.get_object()
        show = request.GET.get("show", "")
        rows = batch.rows if show not in importing.ACTION_LABELS else [r for r in batch.rows if r[1] == show]
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        can_change = request.user.has_perm("members.change_importbatch")
        context = self.get_context_data(
            object=batch,
            page=page,
            show=show,
            labels=importing.ACTION_LABELS,
            filters=[(key, label, getattr(batch, key)) for key, label in importing.ACTION_LABELS.items()],
            can_confirm=can_change and batch.status == ImportBatchStatus.PREVIEWED,
            rollback_refusal=importing.rollback_refusal(batch) if batch.status == ImportBatchStatus.DONE else None,
            can_rollback=can_change and batch.status == ImportBatchStatus.DONE,
            polling=batch.status in (ImportBatchStatus.CHECKING, ImportBatchStatus.QUEUED, ImportBatchStatus.RUNNING),
            runs_in_background=batch.total > importing.async_row_threshold(),
        )
        return render(request, self.template_name, context)


class ImportBatchStatusView(BatchMixin, View):
    """The small JSON the page polls while a batch is checked or imported in Celery."""

    def get(self, request, *args, **kwargs):
        return JsonResponse(importing.progress_of(self.get_object()))


class BatchActionView(BatchMixin, View):
    """A POST on one batch; a GET still answers 404 out of scope (before 405)."""

    scope_action = "change"

    def get(self, request, *args, **kwargs):
        self.get_object()
        return HttpResponseNotAllowed(["POST"])


class ImportBatchConfirmView(BatchActionView):
    """Step 3: write it. Large files go to Celery (after this transaction commits)."""

    def post(self, request, *args, **kwargs):
        batch = self.get_object()
        try:
            batch = importing.batch_confirm(batch, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error.messages[0] if isinstance(error, ValidationError) else str(error))
            return redirect(batch.get_absolute_url())
        if batch.status == ImportBatchStatus.QUEUED:
            if batch.total > importing.async_row_threshold():
                transaction.on_commit(lambda: tasks.queue_run(batch.pk))
                batch.refresh_from_db()
                if batch.status == ImportBatchStatus.PREVIEWED:  # the broker refused it: nothing was written
                    messages.error(request, batch.message)
            else:
                batch = importing.batch_run(batch.pk)
                if batch.status == ImportBatchStatus.DONE:
                    messages.success(request, _("导入完成。"))
                else:
                    messages.error(request, batch.message)
        return redirect(batch.get_absolute_url())


class ImportBatchRollbackView(BatchActionView):
    def post(self, request, *args, **kwargs):
        batch = self.get_object()
        try:
            importing.batch_rollback(batch, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("已撤销该批次导入：新建的档案已删除，修改的档案已恢复。"))
        return redirect(batch.get_absolute_url())


class RejectedRowsView(BatchMixin, View):
    """The rejected rows as the county's own workbook, bad cells marked, to fix and send again."""

    def get(self, request, *args, **kwargs):
        batch = self.get_object()
        if not batch.errors:
            messages.info(request, _("该批次没有被拒绝的行。"))
            return redirect(batch.get_absolute_url())
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        importing.write_rejected_rows(batch, handle)
        handle.seek(0)
        stem = batch.original_name.rsplit(".", 1)[0] or "register"
        return FileResponse(handle, as_attachment=True, filename=f"{stem}-被拒绝的行.xlsx")


def register_export(request):
    """登记造册 of the rows the list page shows (same query string), masked by role, scoped."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.get_full_path()}")
    # A whole register leaves the system here: the roles that keep or oversee it, not
    # the experts, enterprises and centre staff who see a few assigned members.
    if not (user.has_perm("members.view_member") and user.has_perm("members.view_registerexport")):
        raise PermissionDenied(_("您的角色没有这项权限。"))
    queryset = selectors.member_list(user=user, filters=request.GET, request=request)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    exporting.write_register(queryset, user=user, destination=handle, filters=exporting.filters_text(request.GET))
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=exporting.export_filename(user))
