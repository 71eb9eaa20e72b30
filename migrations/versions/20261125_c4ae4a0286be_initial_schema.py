"""Initial schema: accounts, cases with their facts, the expert panel, opinions and the audit trail.

Revision ID: c4ae4a0286be
Revises:
Create Date: 2026-11-25 16:35:28

Hand-tidied from autogenerate. Enumerations are VARCHARs (native_enum=False), so no database
types need creating or dropping; their values are spelled out here, never imported from the app.
"""

import sqlalchemy as sa
from alembic import op

revision = "c4ae4a0286be"
down_revision = None
branch_labels = None
depends_on = None

SYSTEMS = (
    "engine", "transmission", "steering", "brakes", "suspension", "axle", "body", "fuel",
    "electrical", "power_battery", "drive_motor", "drivetrain", "emission_control", "other",
)


def _enum(name, *values, length=20):
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _id():
    return sa.Column("id", sa.Integer(), nullable=False)


def _index(table, *columns):
    op.create_index(op.f(f"ix_{table}_{columns[0]}"), table, list(columns), unique=False)


def upgrade():
    op.create_table(
        "users",
        _id(),
        sa.Column("role", _enum("role", "consumer", "expert", "staff", "admin"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("mobile", sa.String(length=11), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("mobile", name=op.f("uq_users_mobile")),
    )

    op.create_table(
        "cases",
        _id(),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column(
            "status",
            _enum(
                "casestatus", "submitted", "screening", "info_requested", "accepted",
                "not_accepted", "routed", "opinion_received", "mediation", "closed", "withdrawn",
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("consumer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column(
            "outcome",
            _enum(
                "caseoutcome", "repaired", "replaced", "returned", "compensated", "settled",
                "withdrawn", "referred",
            ),
            nullable=True,
        ),
        # consumer contact (personal data)
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("contact_id_number", sa.String(length=18), nullable=True),
        sa.Column("contact_address", sa.String(length=200), nullable=True),
        # purchase
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("delivery_date", sa.Date(), nullable=True),
        sa.Column("price_yuan", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("has_invoice", sa.Boolean(), nullable=False),
        sa.Column("has_warranty_card", sa.Boolean(), nullable=False),
        # vehicle
        sa.Column("category", _enum("vehiclecategory", "passenger", "pickup"), nullable=False),
        sa.Column("use", _enum("vehicleuse", "household", "commercial"), nullable=False),
        sa.Column(
            "powertrain",
            _enum("powertrain", "ice", "hev", "phev", "erev", "bev", "fcev"),
            nullable=False,
        ),
        sa.Column("brand", sa.String(length=100), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("manufacturer", sa.String(length=200), nullable=True),
        sa.Column("dealer_name", sa.String(length=200), nullable=True),
        # warranty card
        sa.Column("repair_warranty_years", sa.Integer(), nullable=True),
        sa.Column("repair_warranty_km", sa.Integer(), nullable=True),
        sa.Column("three_guarantee_years", sa.Integer(), nullable=True),
        sa.Column("three_guarantee_km", sa.Integer(), nullable=True),
        sa.Column("compensation_rate", sa.Numeric(precision=6, scale=5), nullable=True),
        sa.Column("special_parts", sa.JSON(), nullable=False),
        # assessment moment and claim
        sa.Column("as_of_date", sa.Date(), nullable=False),
        sa.Column("as_of_odometer_km", sa.Integer(), nullable=False),
        sa.Column("written_request_date", sa.Date(), nullable=True),
        sa.Column(
            "claim",
            _enum(
                "claim", "repair", "part_replacement", "assembly_replacement", "replace", "return"
            ),
            nullable=True,
        ),
        sa.Column(
            "replacement_available",
            _enum("replacementavailability", "same_model", "comparable", "none"),
            nullable=True,
        ),
        sa.Column("regime_override", sa.String(length=4), nullable=True),
        # the business in dispute
        sa.Column("business_name", sa.String(length=200), nullable=False),
        sa.Column(
            "business_role",
            _enum("businessrole", "seller", "manufacturer", "repairer"),
            nullable=False,
        ),
        sa.Column("business_contact", sa.String(length=200), nullable=True),
        sa.Column("consent_to_experts", sa.Boolean(), nullable=False),
        sa.Column("claim_text", sa.Text(), nullable=False),
        sa.Column("facts_snapshot", sa.JSON(), nullable=True),
        sa.Column("assessment_snapshot", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consumer_id"], ["users.id"], name=op.f("fk_cases_consumer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("number", name=op.f("uq_cases_number")),
    )
    _index("cases", "consumer_id")

    op.create_table(
        "problems",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("system", _enum("vehiclesystem", *SYSTEMS), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_quality_problem", sa.Boolean(), nullable=False),
        sa.Column("is_serious_safety", sa.Boolean(), nullable=False),
        sa.Column(
            "failure",
            _enum(
                "failure", "steering_failure", "brake_failure", "body_crack", "fuel_leak",
                "battery_fire",
            ),
            nullable=True,
        ),
        sa.Column("wear_part", sa.String(length=100), nullable=True),
        sa.Column(
            "exclusion",
            _enum(
                "exclusion", "disclosed_defect", "modification", "improper_handling",
                "improper_use_or_maintenance", "force_majeure", length=40,
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_problems_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problems")),
        sa.UniqueConstraint("case_id", "label", name=op.f("uq_problems_case_id")),
    )
    _index("problems", "case_id")

    op.create_table(
        "repair_events",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("odometer_km", sa.Integer(), nullable=False),
        sa.Column("is_fault_found", sa.Boolean(), nullable=False),
        sa.Column("is_resolved", sa.Boolean(), nullable=False),
        sa.Column("special_parts_transport_days", sa.Integer(), nullable=False),
        sa.Column("rescue_travel_days", sa.Integer(), nullable=False),
        sa.Column("battery_transport_days", sa.Integer(), nullable=False),
        sa.Column("repairer_name", sa.String(length=200), nullable=True),
        sa.Column("repair_order_no", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_repair_events_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["problem_id"], ["problems.id"], name=op.f("fk_repair_events_problem_id_problems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_events")),
    )
    _index("repair_events", "case_id")

    op.create_table(
        "replaced_parts",
        _id(),
        sa.Column("repair_event_id", sa.Integer(), nullable=False),
        sa.Column("assembly", _enum("vehiclesystem", *SYSTEMS), nullable=False),
        sa.Column("part", sa.String(length=100), nullable=False),
        sa.Column("is_main_part", sa.Boolean(), nullable=False),
        sa.Column("is_whole_assembly", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["repair_event_id"], ["repair_events.id"],
            name=op.f("fk_replaced_parts_repair_event_id_repair_events"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replaced_parts")),
    )
    _index("replaced_parts", "repair_event_id")

    op.create_table(
        "wear_parts",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("km", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_wear_parts_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wear_parts")),
    )
    _index("wear_parts", "case_id")

    op.create_table(
        "attachments",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            _enum("attachmentkind", "invoice", "warranty_card", "repair_order", "photo", "other"),
            nullable=False,
        ),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_attachments_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_attachments_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_attachments_stored_name")),
    )
    _index("attachments", "case_id")

    op.create_table(
        "experts",
        _id(),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_experts_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experts")),
        sa.UniqueConstraint("code", name=op.f("uq_experts_code")),
        sa.UniqueConstraint("user_id", name=op.f("uq_experts_user_id")),
    )

    op.create_table(
        "expert_specialties",
        _id(),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("system", _enum("vehiclesystem", *SYSTEMS), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["experts.id"], name=op.f("fk_expert_specialties_expert_id_experts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_specialties")),
        sa.UniqueConstraint("expert_id", "system", name=op.f("uq_expert_specialties_expert_id")),
    )

    op.create_table(
        "expert_affiliations",
        _id(),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum("affiliationkind", "brand", "manufacturer", "dealer", "repairer"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["experts.id"], name=op.f("fk_expert_affiliations_expert_id_experts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_affiliations")),
    )
    _index("expert_affiliations", "expert_id")

    op.create_table(
        "assignments",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            _enum(
                "assignmentstatus", "active", "declined", "recused", "completed", "superseded"
            ),
            nullable=False,
        ),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["users.id"], name=op.f("fk_assignments_assigned_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_assignments_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["experts.id"], name=op.f("fk_assignments_expert_id_experts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
    )
    _index("assignments", "case_id")
    _index("assignments", "expert_id")

    op.create_table(
        "opinions",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status", _enum("opinionstatus", "draft", "signed", "released"), nullable=False
        ),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("signature", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"], ["assignments.id"],
            name=op.f("fk_opinions_assignment_id_assignments"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_opinions_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["experts.id"], name=op.f("fk_opinions_expert_id_experts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinions")),
        sa.UniqueConstraint("assignment_id", "version", name=op.f("uq_opinions_assignment_id")),
    )
    _index("opinions", "case_id")
    _index("opinions", "expert_id")

    op.create_table(
        "audit_events",
        _id(),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=True),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_audit_events_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    _index("audit_events", "at")
    _index("audit_events", "case_id")


def downgrade():
    # Children before parents; dropping a table drops its indexes.
    for table in (
        "audit_events",
        "opinions",
        "assignments",
        "expert_affiliations",
        "expert_specialties",
        "experts",
        "attachments",
        "wear_parts",
        "replaced_parts",
        "repair_events",
        "problems",
        "cases",
        "users",
    ):
        op.drop_table(table)
