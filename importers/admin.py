from django.contrib import admin

from importers.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "source", "summary", "warning_count", "duration_s"]
    list_filter = ["kind"]
    search_fields = ["source", "checksum"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    @admin.display(description="résultat")
    def summary(self, run: ImportRun) -> str:
        return ", ".join(f"{key} {value}" for key, value in run.counts.items())

    @admin.display(description="avertissements")
    def warning_count(self, run: ImportRun) -> int:
        return len(run.warnings)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
