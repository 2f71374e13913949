"""`{% admin_dashboard %}` for the admin index: the admin site's index view stays Django's own."""

from django import template

from app.dashboard import selectors as dashboard

register = template.Library()


@register.inclusion_tag("admin/dashboard.html", takes_context=True)
def admin_dashboard(context: template.Context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_active and user.is_staff):
        return {"show": False}
    return {
        "show": True,
        "request": request,
        "user": user,
        "competitions": dashboard.matches_per_season(),
        "celery": dashboard.celery_status(),
        "flower_url": dashboard.flower_url(),
        "activity": dashboard.recent_activity(),
        "can_see_tasks": user.has_perm("django_celery_results.view_taskresult"),
    }
