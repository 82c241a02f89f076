import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { collectPages, type Page } from '../../../lib/cybersource/pager';
import { cybersourceApiRequest } from '../transport';
import { limitOf } from './fields';

/**
 * Every page of a GET list paged by `offset` and `limit` in the query (Token Management lists,
 * invoices, payment links, purchase and refund details), with the one pager, up to the node's
 * Return All / Limit. `read` takes one page's items (and the total, when the API gives it).
 */
export async function getPages(
	context: IExecuteFunctions,
	i: number,
	list: { path: string; qs?: IDataObject; pageSize: number; read(page: IDataObject): Page<IDataObject> },
): Promise<IDataObject[]> {
	const limit = limitOf(context, i);
	return await collectPages<IDataObject>(
		async (offset, pageLimit) => list.read((await cybersourceApiRequest.call(context, i, { method: 'GET', path: list.path, qs: { ...list.qs, offset, limit: pageLimit } })).body as IDataObject),
		{ pageSize: list.pageSize, limit },
	);
}

/** A number the API gives as a list's total, else undefined. */
export function totalOf(page: IDataObject, key: string): number | undefined {
	return typeof page[key] === 'number' ? (page[key] as number) : undefined;
}
