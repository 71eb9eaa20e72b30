"""The staff room: blueprint at /staff; the expert panel and routing pages keep their /experts
addresses."""

from collections.abc import Callable

from flask import Blueprint, Flask

bp = Blueprint("staff", __name__, url_prefix="/staff")


def route_at(rule: str, **options) -> Callable:
    """Route a staff view at `rule` as written rather than under /staff: the panel, routing and
    opinion-release pages were published under /experts and keep those addresses, while their
    endpoints (staff.<view>) and hooks are the staff room's."""

    def decorator(view: Callable) -> Callable:
        bp.record(
            lambda state: state.app.add_url_rule(
                rule, f"{bp.name}.{view.__name__}", view, **options
            )
        )
        return view

    return decorator


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports)."""
    from disputes.staff import (  # noqa: F401
        consent_views,
        intake_views,
        organisation_views,
        panel_views,
        records_views,
        routing_views,
        views,
    )

    app.register_blueprint(bp)
