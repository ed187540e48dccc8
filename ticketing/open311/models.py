"""GeoReport v2 answers as response models, so ``/openapi.json`` describes them as the spec's schemas do.

Field names, types and nullability follow the community JSON Schemas (service.json, request.json,
service-definition.json); ``views.request_json`` and ``catalog.Service.as_json`` still build the data.
"""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import BaseModel, Field

Moment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


class Service(BaseModel):
    service_code: str
    service_name: str
    description: Optional[str]
    metadata: bool = Field(description="true: fetch the service definition for its attributes")
    type: Literal["realtime", "batch", "blackbox"]
    keywords: Optional[str]
    group: Optional[str]


class AttributeValue(BaseModel):
    key: str
    name: str


class Attribute(BaseModel):
    variable: bool
    code: str
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool
    datatype_description: Optional[str]
    order: int
    description: Optional[str]
    values: list[AttributeValue]


class ServiceDefinition(BaseModel):
    service_code: str
    attributes: list[Attribute]


class ServiceRequest(BaseModel):
    """One request; our rich state and the lead department are in ``status_notes``."""

    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: Optional[str]
    service_name: Optional[str]
    service_code: str
    description: Optional[Annotated[str, Field(max_length=4000)]]
    agency_responsible: Optional[str]
    service_notice: Optional[str]
    requested_datetime: Moment
    updated_datetime: Optional[Moment]
    expected_datetime: Optional[Moment]
    address: Optional[str]
    address_id: Optional[str]
    zipcode: Optional[str]
    lat: Optional[float]
    long: Optional[float]
    media_url: Optional[str]


class CreatedRequest(ServiceRequest):
    """The answer to a POST: the request as stored, the ticket number in ``service_notice``."""

    account_id: Optional[str]
