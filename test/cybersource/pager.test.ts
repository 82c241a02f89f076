/**
 * The one pager (lib/cybersource/pager.ts) against a list that behaves like Transaction Search:
 * offset and limit, a total, and new entries sorted first while it pages.
 */
import { collectPages, type Page } from '../../packages/n8n-nodes-cybersource/lib/cybersource/pager';

type Item = { id: string };

/** A list sorted newest first; `arriving` items are put on top after each page is answered. */
function list(size: number, arriving: number[] = []) {
	const entries: Item[] = Array.from({ length: size }, (_, i) => ({ id: `t${size - i}` }));
	const asked: Array<[number, number]> = [];
	let next = size;
	const fetchPage = async (offset: number, limit: number): Promise<Page<Item>> => {
		asked.push([offset, limit]);
		const page = { items: entries.slice(offset, offset + limit), total: entries.length };
		for (let i = 0; i < (arriving[asked.length - 1] ?? 0); i++) entries.unshift({ id: `t${++next}` });
		return page;
	};
	return { fetchPage, asked, entries };
}

describe('collectPages', () => {
	it('pages until the total, each request as large as allowed', async () => {
		const source = list(25);
		const items = await collectPages(source.fetchPage, { pageSize: 10 });
		expect(items.map((item) => item.id)).toEqual(source.entries.map((item) => item.id));
		expect(source.asked).toEqual([[0, 10], [10, 10], [20, 10]]);
	});

	it('stops at the limit and asks only for what is still wanted, from the offset given', async () => {
		const source = list(100);
		const items = await collectPages(source.fetchPage, { pageSize: 10, limit: 15, offset: 5 });
		expect(items.map((item) => item.id)).toEqual(source.entries.slice(5, 20).map((item) => item.id));
		expect(source.asked).toEqual([[5, 10], [15, 5]]);
	});

	it('a list that moves between pages (new transactions sorted first): no item twice, none of the original lost', async () => {
		const source = list(30, [3, 2, 4]);
		const original = source.entries.map((item) => item.id);
		const items = await collectPages(source.fetchPage, { pageSize: 10 });
		const ids = items.map((item) => item.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of original) expect(ids).toContain(id);
	});

	it('an empty list is one request; a list that never ends is cut at maxPages', async () => {
		const empty = list(0);
		expect(await collectPages(empty.fetchPage, { pageSize: 10 })).toEqual([]);
		expect(empty.asked).toHaveLength(1);
		let served = 0;
		const endless = async (): Promise<Page<Item>> => ({ items: Array.from({ length: 10 }, () => ({ id: `e${served++}` })) });
		expect(await collectPages(endless, { pageSize: 10, maxPages: 7 })).toHaveLength(70);
	});
});
