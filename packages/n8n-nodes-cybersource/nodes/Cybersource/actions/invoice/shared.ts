import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { calendarDate } from '../../../../lib/cybersource/times';
import { checked, param } from '../fields';
import { getPages, totalOf } from '../pages';

export const INVOICES_PATH = '/invoicing/v2/invoices';

/** Page size for Invoicing and Pay by Link lists (their maximum is not documented; 100 is accepted). */
export const LIST_PAGE = 100;

export const invoiceIdField: INodeProperties = { displayName: 'Invoice ID', name: 'invoiceId', type: 'string', default: '', required: true, description: 'The ID Cybersource returned for the invoice' };

export function invoicePath(context: IExecuteFunctions, i: number): string {
	return `${INVOICES_PATH}/${checked(context, i, () => input.pathId(param(context, 'invoiceId', i), 'Invoice ID'))}`;
}

/** The invoice fields Create shows and Update has under Update Fields (besides amount and due date). */
export const invoiceOptions: INodeProperties[] = [
	{ displayName: 'Allow Partial Payments', name: 'allowPartialPayments', type: 'boolean', default: false, description: 'Whether the customer may pay part of the amount' },
	{ displayName: 'Customer Name', name: 'customerName', type: 'string', default: '' },
	{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'Shown on the invoice' },
	{ displayName: 'Invoice Number', name: 'invoiceNumber', type: 'string', default: '', description: 'Your own number; empty: Cybersource numbers it' },
];

/** The invoice body parts from the node's values, checked. */
export function invoiceParts(values: IDataObject): { customerInformation: IDataObject; invoiceInformation: IDataObject; amountDetails: IDataObject } {
	const customerInformation: IDataObject = {};
	const email = input.email(values.customerEmail, 'Customer Email');
	if (email !== undefined) customerInformation.email = email;
	if (typeof values.customerName === 'string' && values.customerName.trim() !== '') customerInformation.name = values.customerName.trim();
	const invoiceInformation: IDataObject = {};
	if (values.dueDate !== undefined && values.dueDate !== '') invoiceInformation.dueDate = calendarDate(values.dueDate, 'Due Date');
	if (typeof values.description === 'string' && values.description.trim() !== '') invoiceInformation.description = values.description.trim();
	if (typeof values.invoiceNumber === 'string' && values.invoiceNumber.trim() !== '') invoiceInformation.invoiceNumber = values.invoiceNumber.trim();
	if (typeof values.allowPartialPayments === 'boolean') invoiceInformation.allowPartialPayments = values.allowPartialPayments;
	const amountDetails: IDataObject = {};
	if (values.amount !== undefined && values.amount !== '') amountDetails.totalAmount = input.amount(values.amount);
	if (values.currency !== undefined && values.currency !== '') amountDetails.currency = input.currency(values.currency);
	return { customerInformation, invoiceInformation, amountDetails };
}

/** A paged list of Invoicing or Pay by Link: its items under `key`, its total under `total`. */
export async function listPages(context: IExecuteFunctions, i: number, list: { path: string; key: string; total: string; qs?: IDataObject }): Promise<IDataObject[]> {
	return await getPages(context, i, { path: list.path, qs: list.qs, pageSize: LIST_PAGE, read: (page) => ({ items: (page[list.key] ?? []) as IDataObject[], total: totalOf(page, list.total) }) });
}
