"""`{{ file|next_step }}`: the list's button text for one upload, the same as the admin's column."""

from django import template

from app.imports.models import ImportFile
from app.imports.selectors import next_step as next_step_text

register = template.Library()


@register.filter
def next_step(import_file: ImportFile) -> str:
    return next_step_text(import_file)
