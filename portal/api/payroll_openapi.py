"""The payroll API's OpenAPI 3.1 document (components from the pydantic models' JSON schemas, the paths
written out) and a readable page made from it on the server (no scripts, no assets from elsewhere)."""

from __future__ import annotations

import html
import json
from functools import cache
from typing import Any

from pydantic.json_schema import models_json_schema

from portal.api import payroll_schema as s

_REF = "#/components/schemas/{model}"
_MODELS = (s.NewParticipant, s.SalaryParttimeChange, s.Exit, s.MutationAnswer, s.ParticipantList, s.Problem)


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": _REF.format(model="Problem")}}},
    }


_COMMON = {
    "401": _problem("Missing, malformed, unknown or revoked API key."),
    "429": {
        **_problem("Rate limit of the key reached; try again after Retry-After seconds."),
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
    },
}
_POST_ERRORS = {
    "400": _problem("Missing Idempotency-Key or malformed JSON."),
    "404": _problem("No such participant or scheme of this key's employer."),
    "409": _problem("The Idempotency-Key was used for another request."),
    "413": _problem("The body is larger than 1 MB."),
    "415": _problem("The body is not application/json."),
    "422": _problem("A field breaks a rule: the field and the rule are named."),
}
_IDEMPOTENCY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "description": "Your unique key for this request: the same key and body give the same answer again.",
    "schema": {"type": "string", "pattern": r"^[A-Za-z0-9._:-]{1,100}$"},
}
_NUMBER = {
    "name": "number",
    "in": "path",
    "required": True,
    "description": "The participant number at this employer.",
    "schema": {"type": "string", "pattern": r"^[0-9A-Za-z]{1,20}$"},
}


def _post(summary: str, model: str, description: str, number: bool = False) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "description": description,
            "operationId": model[0].lower() + model[1:],
            "parameters": [_IDEMPOTENCY, *([_NUMBER] if number else [])],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": _REF.format(model=model)}}},
            },
            "responses": {
                "201": {
                    "description": "Submitted: processed, or needs review (MUT-6).",
                    "content": {"application/json": {"schema": {"$ref": _REF.format(model="MutationAnswer")}}},
                },
                **_POST_ERRORS,
                **_COMMON,
            },
        }
    }


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document served at ``/api/v1/openapi.json``."""
    _, schemas = models_json_schema([(m, "validation") for m in _MODELS], ref_template=_REF)
    participants = _post(
        "New participant",
        "NewParticipant",
        "Registers a new participant, as the portal's new-participant wizard does (same validation, MUT-1..6).",
    )
    participants["get"] = {
        "summary": "Participant list as of a date",
        "description": "One page of the participants of a scheme (default: the employer's first) as of a date.",
        "operationId": "listParticipants",
        "parameters": [
            _query("as_of", {"type": "string", "format": "date"}, "The day (ISO, default today)."),
            _query("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "1-based page."),
            _query("page_size", {"type": "integer", "minimum": 1, "maximum": 100}, "Rows per page (25)."),
            _query("scheme_id", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}, "The scheme."),
        ],
        "responses": {
            "200": {
                "description": "The page.",
                "content": {"application/json": {"schema": {"$ref": _REF.format(model="ParticipantList")}}},
            },
            "404": _problem("No such scheme of this key's employer."),
            "422": _problem("A query parameter is invalid."),
            **_COMMON,
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Benefits portal payroll API",
            "version": "1",
            "description": (
                "Submit the portal's own mutations from a payroll package with an employer's API key "
                "(Authorization: Bearer pk_...). Every POST needs an Idempotency-Key. Errors are RFC 9457 "
                "problem details naming the field and the rule that failed."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"apiKey": []}],
        "paths": {
            "/api/v1/participants": participants,
            "/api/v1/participants/{number}/salary-parttime": _post(
                "Salary and/or part-time change",
                "SalaryParttimeChange",
                "Changes the full-time annual salary and/or the part-time percentage from a date.",
                number=True,
            ),
            "/api/v1/participants/{number}/exit": _post(
                "Exit", "Exit", "Ends the employment: the exit date is the last day in service.", number=True
            ),
        },
        "components": {
            "schemas": schemas["$defs"],
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer", "description": "pk_... API key"}},
        },
    }


def _schema_rows(schema: dict[str, Any], schemas: dict[str, Any]) -> str:
    required = set(schema.get("required", ()))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        shown = {k: v for k, v in prop.items() if k not in ("title", "description")}
        rows.append(
            "<tr><td><code>{}</code>{}</td><td><code>{}</code></td><td>{}</td></tr>".format(
                html.escape(name),
                " <strong>required</strong>" if name in required else "",
                html.escape(json.dumps(shown, ensure_ascii=False)),
                html.escape(prop.get("description", "")),
            )
        )
    return "<table><thead><tr><th>Field</th><th>Schema</th><th>What</th></tr></thead><tbody>{}</tbody></table>".format(
        "".join(rows)
    )


@cache
def docs_html() -> str:
    """The readable page at ``/api/v1/docs``: every operation with its parameters, body and answers."""
    doc = document()
    schemas = doc["components"]["schemas"]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{}</title>".format(
            html.escape(doc["info"]["title"])
        ),
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
        "table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
        "text-align:left;vertical-align:top}code{font-size:.9em;word-break:break-word}h2{margin-top:2rem}</style>",
        "</head><body><main>",
        "<h1>{}</h1><p>{}</p>".format(html.escape(doc["info"]["title"]), html.escape(doc["info"]["description"])),
        "<p>Machine-readable: <a href='/api/v1/openapi.json'>/api/v1/openapi.json</a></p>",
    ]
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            parts.append(
                "<section><h2><code>{} {}</code> — {}</h2><p>{}</p>".format(
                    method.upper(), html.escape(path), html.escape(op["summary"]), html.escape(op["description"])
                )
            )
            if op.get("parameters"):
                parts.append(
                    "<h3>Parameters</h3><table><thead><tr><th>Name</th><th>In</th><th>Schema</th><th>What</th></tr></thead><tbody>"
                )
                for p in op["parameters"]:
                    parts.append(
                        "<tr><td><code>{}</code>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>".format(
                            html.escape(p["name"]),
                            " <strong>required</strong>" if p.get("required") else "",
                            html.escape(p["in"]),
                            html.escape(json.dumps(p["schema"])),
                            html.escape(p.get("description", "")),
                        )
                    )
                parts.append("</tbody></table>")
            body = op.get("requestBody")
            if body:
                name = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                parts.append(f"<h3>Body: {html.escape(name)}</h3>")
                parts.append(_schema_rows(schemas[name], schemas))
            parts.append("<h3>Answers</h3><ul>")
            for status, answer in op["responses"].items():
                parts.append(f"<li><strong>{html.escape(status)}</strong> {html.escape(answer['description'])}</li>")
            parts.append("</ul></section>")
    parts.append("<h2>Schemas</h2>")
    for name, schema in schemas.items():
        parts.append(f"<section><h3 id='{html.escape(name)}'>{html.escape(name)}</h3>")
        parts.append(f"<p>{html.escape(schema.get('description', ''))}</p>")
        parts.append(_schema_rows(schema, schemas))
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "".join(parts)
