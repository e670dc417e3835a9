"""The built-in inventory back end: the hardware and software installed at a company's sites.

Every search walks one index of ``inventory_items`` in (product, serial) order and pages by keyset:
by site ``(company_id, site_id, product, serial)``, by kind ``(company_id, kind, product, serial)``,
by product or nothing ``(company_id, product, serial)``, by contract ``(company_id, contract_id,
product, serial)``, by serial the unique ``(company_id, serial)``. A page far on costs what the first does,
however many items a company has.

Product words ("the FlashSystem") are matched by the caller against ``product_names``: the company's
distinct products, read by skipping through the product index (one index seek per product, not one
row per item), so it stays cheap at a hundred thousand items.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from supportbot.integrations.errors import InvalidRequest
from supportbot.integrations.models import InventoryItem, ItemPage, Principal, Tool
from supportbot.integrations.sql.base import MAX_PAGE, AnyRow, SqlBase, candidates
from supportbot.integrations.sql.schema import contracts, inventory_items, sites
from supportbot.integrations.sql.scope import Tenant, scope

__all__ = ["KINDS", "SqlInventory"]

KINDS: Final = ("hardware", "software")

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
    """Installed hardware and software by site, kind, product, serial or contract."""

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

    # --- searching --------------------------------------------------------------------------------

    async def search_items(
        self,
        principal: Principal,
        *,
        site: str | None = None,
        kind: str | None = None,
        products: Collection[str] = (),
        contract: str | None = None,
        uncovered_on: date | None = None,
        leased: bool = False,
        after: tuple[str, str] | None = None,
        limit: int = 10,
    ) -> ItemPage:
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE}")
        _check_kind(kind)
        empty = ItemPage(items=(), has_more=False)

        async def work(tenant: Tenant) -> ItemPage:
            async with self._connect() as conn:
                conditions = await self._conditions(
                    conn, tenant, site, kind, (), contract, uncovered_on, leased=leased
                )
                if conditions is None:
                    return empty
                rows: list[AnyRow] = []
                # Product by product (a handful at most), each one seek in its index: a range over
                # the products between them would read every item of the products in between.
                wanted: list[str | None] = [*sorted(set(products))] or [None]
                for product in wanted:
                    if product is not None and after is not None and product < after[0]:
                        continue
                    query = _ITEM_SELECT.where(*conditions)
                    if product is not None:
                        query = query.where(inventory_items.c.product == product)
                        if after is not None and product == after[0]:
                            query = query.where(inventory_items.c.serial > after[1])
                    elif after is not None:
                        query = query.where(
                            tuple_(inventory_items.c.product, inventory_items.c.serial) > tuple_(*after)
                        )
                    query = query.order_by(inventory_items.c.product, inventory_items.c.serial)
                    rows.extend((await conn.execute(query.limit(limit + 1 - len(rows)))).all())
                    if len(rows) > limit:
                        break
            return ItemPage(items=tuple(_item(row) for row in rows[:limit]), has_more=len(rows) > limit)

        return await scope(principal, Tool.INVENTORY).run(work, empty)

    async def count_items(
        self,
        principal: Principal,
        *,
        site: str | None = None,
        kind: str | None = None,
        products: Collection[str] = (),
        contract: str | None = None,
        uncovered_on: date | None = None,
        leased: bool = False,
    ) -> int:
        _check_kind(kind)

        async def work(tenant: Tenant) -> int:
            async with self._connect() as conn:
                conditions = await self._conditions(
                    conn, tenant, site, kind, products, contract, uncovered_on, leased=leased
                )
                if conditions is None:
                    return 0
                counted = await conn.scalar(
                    select(func.count()).select_from(inventory_items).where(*conditions)
                )
            return int(counted or 0)

        return await scope(principal, Tool.INVENTORY).run(work, 0)

    async def _conditions(
        self,
        conn: AsyncConnection,
        tenant: Tenant,
        site: str | None,
        kind: str | None,
        products: Collection[str],
        contract: str | None,
        uncovered_on: date | None = None,
        *,
        leased: bool = False,
    ) -> list[ColumnElement[bool]] | None:
        """The filters as conditions on ``inventory_items``; ``None`` when nothing can match."""
        conditions: list[ColumnElement[bool]] = [tenant.owns(inventory_items)]
        if leased:
            # (Read in the order's index with the others: a company's leased items are a share of its
            # few thousand, not a needle worth an index of its own.)
            conditions.append(
                or_(inventory_items.c.lessor.is_not(None), inventory_items.c.leased_until.is_not(None))
            )
        if uncovered_on is not None:
            until = inventory_items.c.maintenance_until
            conditions.append(or_(until.is_(None), until < uncovered_on))
        if site is not None:
            site_ids = await self._site_ids(conn, tenant, site)
            if not site_ids:
                return None
            conditions.append(inventory_items.c.site_id.in_(site_ids))
        if kind is not None:
            conditions.append(inventory_items.c.kind == kind)
        if products:
            conditions.append(inventory_items.c.product.in_(sorted(set(products))))
        if contract is not None:
            # The contract's id first (by its unique number, the company's only), then its items
            # by the contract index: an unknown or foreign number matches no item.
            contract_id = await conn.scalar(
                select(contracts.c.id).where(
                    contracts.c.number.in_(candidates(contract)), tenant.owns(contracts)
                )
            )
            if contract_id is None:
                return None
            conditions.append(inventory_items.c.contract_id == contract_id)
        return conditions

    async def product_names(self, principal: Principal) -> Sequence[str]:
        return await scope(principal, Tool.INVENTORY).run(self._product_names, ())

    async def _product_names(self, tenant: Tenant) -> tuple[str, ...]:
        async with self._connect() as conn:
            rows = await conn.execute(_distinct_products(tenant))
            return tuple(sorted(row.product for row in rows))


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise InvalidRequest(f"kind must be one of {', '.join(KINDS)}")


def _distinct_products(tenant: Tenant) -> Select[Any]:
    """The company's distinct products by a loose index scan: the smallest product, then the smallest
    one after it, and so on; each step one seek in ``(company_id, product, serial)``."""
    items = inventory_items
    first = select(func.min(items.c.product).label("product")).where(tenant.owns(items))
    walk = first.cte("product_walk", recursive=True)
    following = (
        select(func.min(items.c.product))
        .where(tenant.owns(items), items.c.product > walk.c.product)
        .scalar_subquery()
    )
    walk = walk.union_all(select(following.label("product")).where(walk.c.product.is_not(None)))
    return select(walk.c.product).where(walk.c.product.is_not(None))
