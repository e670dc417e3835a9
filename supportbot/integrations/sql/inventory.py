"""The built-in inventory back end: the hardware and software installed at a company's sites."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy import select

from supportbot.integrations.models import InventoryItem, Principal, Tool
from supportbot.integrations.sql.base import AnyRow, SqlBase, candidates
from supportbot.integrations.sql.schema import contracts, inventory_items, sites
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["SqlInventory"]

_ITEM_SELECT: Final = select(
    inventory_items,
    sites.c.name.label("site_name"),
    contracts.c.number.label("contract_number"),
).select_from(
    inventory_items.join(sites, sites.c.id == inventory_items.c.site_id).outerjoin(
        contracts, contracts.c.id == inventory_items.c.contract_id
    )
)


def _item(row: AnyRow) -> InventoryItem:
    return InventoryItem(
        serial=row.serial,
        product=row.product,
        kind=row.kind,
        site=row.site_name,
        location=row.location,
        installed_on=row.installed_on,
        contract_number=row.contract_number,
        service_level=row.service_level,
        maintenance_until=row.maintenance_until,
        lessor=row.lessor,
        leased_until=row.leased_until,
        software_version=row.software_version,
        licences=row.licences,
        renews_on=row.renews_on,
    )


class SqlInventory(SqlBase):
    """Installed hardware and software by site."""

    async def list_items(self, principal: Principal, *, site: str | None = None) -> Sequence[InventoryItem]:
        return await scope(principal, Tool.INVENTORY).run(lambda tenant: self._list(tenant, site), ())

    async def _list(self, tenant: Tenant, site: str | None) -> tuple[InventoryItem, ...]:
        async with self._connect() as conn:
            query = _ITEM_SELECT.where(tenant.owns(inventory_items))
            if site is not None:
                site_ids = await self._site_ids(conn, tenant, site)
                if not site_ids:
                    return ()
                query = query.where(inventory_items.c.site_id.in_(site_ids))
            query = query.order_by(sites.c.name, inventory_items.c.product, inventory_items.c.serial)
            return tuple(_item(row) for row in await conn.execute(query))

    async def get_item(self, principal: Principal, serial: str) -> InventoryItem | None:
        return await scope(principal, Tool.INVENTORY).run(lambda tenant: self._get(tenant, serial), None)

    async def _get(self, tenant: Tenant, serial: str) -> InventoryItem | None:
        query = _ITEM_SELECT.where(
            tenant.owns(inventory_items), inventory_items.c.serial.in_(candidates(serial))
        )
        async with self._connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else _item(row)
