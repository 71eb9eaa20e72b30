"""Rows written straight into a migration's tables (no models: a migration test runs at an older
revision than the models describe)."""

from __future__ import annotations

import sqlalchemy as sa


def insert_consumer(conn: sa.Connection) -> None:
    """Insert user 1, a consumer, with the columns every revision since the first requires."""
    conn.execute(
        sa.text(
            "INSERT INTO users (id, role, name, password_hash, is_active, created_at,"
            " failed_login_count, must_change_password)"
            " VALUES (1, 'consumer', '王五', 'x', true, '2026-01-01', 0, false)"
        )
    )


def insert_case(conn: sa.Connection, number: str, submitted_at: str | None = None) -> int:
    """Insert a case of user 1 with the columns every revision since aac0ffee000a requires;
    return its id."""
    return conn.execute(
        sa.text(
            "INSERT INTO cases (number, status, version, consumer_id, created_at, submitted_at,"
            " updated_at, contact_name, contact_phone, invoice_date, price_yuan, has_invoice,"
            " has_warranty_card, category, use, powertrain, brand, model, vin, special_parts,"
            " as_of_date, as_of_odometer_km, business_name, business_role, consent_to_experts,"
            " claim_text) VALUES (:number, 'submitted', 1, 1, '2026-01-01 08:00:00', :submitted,"
            " '2026-01-01', '王五', '13900000001', '2025-01-01', 100000, true, true, 'passenger',"
            " 'household', 'ice', 'B', 'M', 'LFV2A21K6N3123458', '[]', '2026-01-01', 1000, 'S',"
            " 'seller', false, '') RETURNING id"
        ),
        {"number": number, "submitted": submitted_at},
    ).scalar_one()
