/**
 * Reading every page of an ACCloud list (contract §1.1): the ext API's page/count style (A) and the
 * Marketplace's page/items_per_page style (B).
 */
import type { PageA, PageB } from "./schemas";

const MAX_PAGES = 10_000;

export /** Style A (page/count): follows total_pages; without it (authorizations), stops on a short page. */
async function allPagesA<T, Q extends { count?: number }>(
  list: (q: Q & { page: number; count: number }) => Promise<PageA<T>>,
  query?: Q,
): Promise<T[]> {
  const count = query?.count ?? 100;
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await list({ ...(query as Q), page, count });
    items.push(...res.items);
    if (res.items.length === 0) break;
    if (res.total_pages !== undefined ? page >= res.total_pages : res.items.length < count) break;
  }
  return items;
}

/** Style B (page/items_per_page): follows total_pages. */
export async function allPagesB<T, Q extends { items_per_page?: number }>(
  list: (q: Q & { page: number; items_per_page: number }) => Promise<PageB<T>>,
  query?: Q,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await list({ ...(query as Q), page, items_per_page: query?.items_per_page ?? 100 });
    items.push(...res.items);
    if (res.items.length === 0 || page >= res.total_pages) break;
  }
  return items;
}
