/**
 * One pager for Cybersource's offset-paged lists (Transaction Search: `offset`, `limit` up to
 * 2,500, `totalCount`; Token Management lists: up to 100, `total`), n8n-free. It asks page after
 * page until the list is done or the wanted number is reached, bounded, and never outputs one item
 * twice: when the list moves between pages (a new transaction sorted first shifts the rest down),
 * an item seen on an earlier page is skipped by its `id`.
 */
export interface Page<T> {
	items: T[];
	/** How many items the whole list has, when the API says. */
	total?: number;
}

export interface PagingOptions {
	/** The first offset (default 0). */
	offset?: number;
	/** Items per request: the API's maximum is the fewest requests. */
	pageSize: number;
	/** How many items at most; undefined: all. */
	limit?: number;
	/** Requests at most, whatever the API answers (a guard against a list that never ends). */
	maxPages?: number;
}

const DEFAULT_MAX_PAGES = 1000;

export async function collectPages<T extends { id?: unknown }>(fetchPage: (offset: number, limit: number) => Promise<Page<T>>, options: PagingOptions): Promise<T[]> {
	const wanted = options.limit ?? Number.POSITIVE_INFINITY;
	const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
	const seen = new Set<unknown>();
	const items: T[] = [];
	let offset = options.offset ?? 0;
	for (let pages = 0; pages < maxPages && items.length < wanted; pages++) {
		const size = Math.min(options.pageSize, wanted - items.length);
		const page = await fetchPage(offset, size);
		for (const item of page.items) {
			if (items.length >= wanted) break;
			if (item.id !== undefined) {
				if (seen.has(item.id)) continue;
				seen.add(item.id);
			}
			items.push(item);
		}
		offset += page.items.length;
		const done = page.items.length < size || (page.total !== undefined && offset >= page.total);
		if (done) break;
	}
	return items;
}
