"""The API of magic-pocket's Django Ninja example (items / alerts with tenant checks) on
pocket_sign.ninja.CognitoAuth."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Router, Schema

from pocket_sign.ninja import CognitoAuth

items = Router(tags=["items"])
alerts = Router(tags=["alerts"])


class ItemOut(Schema):
    id: int
    name: str
    tenant_id: str


class AlertOut(Schema):
    id: int
    title: str
    tenant_id: str
    owner_sub: str


@items.get("/", response=list[ItemOut], auth=CognitoAuth())
def list_items(request: HttpRequest):
    tid = request.auth.get("tenant_id") or "public"
    return [ItemOut(id=1, name="sample-1", tenant_id=tid), ItemOut(id=2, name="sample-2", tenant_id=tid)]


@items.get("/me", auth=CognitoAuth())
def me(request: HttpRequest):
    return {
        "sub": request.auth["sub"],
        "username": request.auth["username"],
        "email": request.auth["email"],
        "scope": request.auth["scope"],
        "token_use": request.auth["claims"].get("token_use"),
    }


@items.get("/me-id", auth=CognitoAuth("id"))
def me_id(request: HttpRequest):
    return {
        "sub": request.auth["sub"],
        "username": request.auth["username"],
        "email": request.auth["email"],
        "tenant_id": request.auth["tenant_id"],
        "token_use": request.auth["claims"].get("token_use"),
    }


@items.get("/tenant", auth=CognitoAuth())
def current_tenant(request: HttpRequest):
    return {
        "tenant_id": request.auth.get("tenant_id"),
        "token_use": request.auth["claims"].get("token_use"),
        "mode": getattr(settings, "TENANT_MODE", None),
    }


@items.get("/me-async", auth=CognitoAuth())
async def me_async(request: HttpRequest):
    # An async operation: CognitoAuth verifies with verify_async (no thread, no loop stall).
    return {"sub": request.auth["sub"], "tenant_id": request.auth["tenant_id"]}


@alerts.get("/", response=list[AlertOut], auth=CognitoAuth())
def list_alerts(request: HttpRequest):
    tid = request.auth.get("tenant_id") or "public"
    sub = request.auth["sub"]
    return [
        AlertOut(id=101, title="disk usage high", tenant_id=tid, owner_sub=sub),
        AlertOut(id=102, title="new login detected", tenant_id=tid, owner_sub=sub),
    ]


@alerts.get("/{alert_id}", response=AlertOut, auth=CognitoAuth("id"))
def get_alert(request: HttpRequest, alert_id: int):
    tid = request.auth.get("tenant_id") or "public"
    return AlertOut(id=alert_id, title=f"alert-{alert_id}", tenant_id=tid, owner_sub=request.auth["sub"])


api = NinjaAPI(title="pocket-sign test API", urls_namespace="pocket_sign_test")
api.add_router("/items", items)
api.add_router("/alerts", alerts)

urlpatterns = [path("api/", api.urls)]
