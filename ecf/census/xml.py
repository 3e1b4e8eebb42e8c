"""The return as the census XML (Message → Header → LALevelVacancies → CSWWWorker…), element names and order from the
year's specification. Pure: the time stamp is given, and bytes are returned for the caller to write."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from ecf.census.build import TWO, CensusReturn, Value

# Items the schema requires even when unknown (written empty, and listed by the readiness check).
ALWAYS_WRITTEN = frozenset({"AgencyWorker", "SWENo", "QualInst"})


def return_xml(census: CensusReturn, produced_at: datetime) -> bytes:
    spec = census.spec
    message = etree.Element("Message")
    header = etree.SubElement(message, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    _text(details, "Collection", spec.collection)
    _text(details, "Year", str(spec.year))
    _text(details, "ReferenceDate", spec.reference_date.isoformat())
    source = etree.SubElement(header, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", census.la_code or "")
    _text(source, "SoftwareCode", spec.software_code)
    _text(source, "DateTime", produced_at.replace(microsecond=0).isoformat())
    la = etree.SubElement(message, "LALevelVacancies")
    vacancies = census.la_level.vacancies  # write_return refuses a return without it; a preview shows 0
    _text(la, "NumberOfVacancies", _format(vacancies if vacancies is not None else Decimal(0), TWO))
    _text(la, "NoAgencyFTE", _format(census.la_level.agency_fte, TWO))
    _text(la, "NoAgencyHeadcount", str(census.la_level.agency_headcount))
    for worker in census.workers:
        element = etree.SubElement(message, "CSWWWorker")
        for name in spec.item_names:
            value = worker.items.get(name)
            if value is None and name not in ALWAYS_WRITTEN:
                continue
            _text(element, name, "" if value is None else _format(value))
    return bytes(etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _text(parent: etree._Element, name: str, text: str) -> None:
    etree.SubElement(parent, name).text = text


def _format(value: Value, places: Decimal | None = None) -> str:
    if isinstance(value, Decimal):
        return str(value.quantize(places) if places is not None else value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def validation_errors(xml: bytes, schema: bytes) -> list[str]:
    """The schema's complaints about a return (empty when it is valid), one line each with the line number."""
    xsd = etree.XMLSchema(etree.fromstring(schema))
    document = etree.fromstring(xml)
    if xsd.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in xsd.error_log]
