"""The bench's filing draft as a browser posts it, in a module of its own: the load processes
import it when they unpickle a workload, and must not pay for SQLAlchemy and Flask to do so."""

from __future__ import annotations

#: A small, valid filing as a browser posts it, wizard step by step (steps 1-5; no files).
FILING_STEPS: dict[int, dict[str, str]] = {
    1: {
        "purchase-brand": "示例品牌",
        "purchase-model": "示例 1.5T 自动豪华型",
        "purchase-vin": "LFV2A21K2N3123458",
        "purchase-invoice_date": "2024-05-18",
        "purchase-delivery_date": "2024-05-20",
        "purchase-price_yuan": "168800",
        "purchase-has_invoice": "y",
        "purchase-has_warranty_card": "y",
        "purchase-use": "household",
        "purchase-category": "passenger",
        "purchase-powertrain": "ice",
    },
    2: {
        "warranty-repair_warranty_years": "3",
        "warranty-repair_warranty_km": "60000",
        "warranty-three_guarantee_years": "2",
        "warranty-three_guarantee_km": "50000",
        "warranty-compensation_rate_percent": "0.5",
    },
    3: {
        "problems-0-label": "P1",
        "problems-0-system": "transmission",
        "problems-0-description": "变速器低速顿挫、换挡冲击",
        "events-0-problem": "P1",
        "events-0-start_date": "2024-07-02",
        "events-0-start_time": "09:10",
        "events-0-end_date": "2024-07-03",
        "events-0-end_time": "16:00",
        "events-0-odometer_km": "4200",
        "events-0-fault_found": "y",
        "events-1-problem": "P1",
        "events-1-start_date": "2024-08-20",
        "events-1-end_date": "2024-08-27",
        "events-1-odometer_km": "7600",
        "events-1-fault_found": "y",
    },
    4: {
        "commercial": "no",
        "answers-0-label": "P1",
        "answers-0-disclosed": "no",
        "answers-0-modified": "no",
        "answers-0-accident": "no",
        "answers-0-misuse": "no",
    },
    5: {
        "claim-claim": "repair",
        "claim-written_request_date": "2024-09-01",
        "as_of-date": "2024-09-01",
        "as_of-odometer_km": "9000",
        "details-business_name": "某某汽车销售服务有限公司",
        "details-business_role": "seller",
        "details-business_contact": "0311-12345678",
        "details-contact_name": "张三",
        "details-contact_phone": "13912345678",
        "details-contact_address": "石家庄市",
        "details-claim_text": "要求修好",
    },
}
