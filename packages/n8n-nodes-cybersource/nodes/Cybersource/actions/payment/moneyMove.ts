import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	derivedMerchantTransactionId,
	MAX_MERCHANT_TRANSACTION_ID_LENGTH,
	MERCHANT_TRANSACTION_ID_FIELD,
	merchantTransactionId,
} from '../../../../lib/cybersource/merchantTransactionId';
import { asNodeError, isAlreadySent, type MoneyMove } from '../../errors';
import { cybersourceApiRequest, type ApiRequest } from '../../transport';
import { checked, param } from '../fields';
import { searchPage } from '../transaction/search';

export const merchantTransactionIdField: INodeProperties = {
	displayName: MERCHANT_TRANSACTION_ID_FIELD,
	name: 'merchantTransactionId',
	type: 'string',
	default: '',
	placeholder: 'order-10042',
	description: `Your ID for this request (up to ${MAX_MERCHANT_TRANSACTION_ID_LENGTH} letters, digits and . _ : -, unique for 180 days). Cybersource refuses a second request with the same ID instead of charging twice, and a request whose answer was lost can be cancelled by it (Timeout Reversal, Timeout Void). Empty: an ID made from this execution, node and item.`,
	hint: 'Map your order ID here: it stays the same when a run is retried or the order is sent again, so the order is never charged twice',
};

/** Where a derived ID comes from, read once per execution (`getNode()` copies the whole node). */
const origins = new WeakMap<IExecuteFunctions, { instanceId: string; workflowId: string; executionId: string; nodeId: string }>();

function originOf(context: IExecuteFunctions) {
	let origin = origins.get(context);
	if (origin === undefined) {
		origin = {
			instanceId: context.getInstanceId(),
			workflowId: String(context.getWorkflow().id ?? ''),
			executionId: String(context.getExecutionId() ?? ''),
			nodeId: context.getNode().id,
		};
		origins.set(context, origin);
	}
	return origin;
}

/** Cybersource's application (service) name of each request that moves money, as transaction search reports it. */
export type MoneyApplication = 'ics_auth' | 'ics_bill' | 'ics_credit';

/**
 * Sends a request that moves money with its merchant transaction ID: the one the user gave (in the
 * field, or in Additional Fields JSON), else one derived from the execution (the same when n8n
 * runs the execution again). The answer carries the ID in `clientReferenceInformation`.
 *
 * When Cybersource refuses the ID as used before, the request arrived earlier (n8n ran the
 * execution again, or the order was sent again): nothing is charged now, and the earlier
 * transaction is looked up by the client reference code and output with `alreadySent: true`,
 * so the workflow goes on with the one payment there is. Without a code, or when the search does
 * not find it (yet), the error says so and names the ID.
 */
export async function sendMoneyMove(
	context: IExecuteFunctions,
	itemIndex: number,
	request: ApiRequest & { body: IDataObject },
	move: { cancelBy: MoneyMove['cancelBy']; application: MoneyApplication },
): Promise<IDataObject> {
	const reference = (request.body.clientReferenceInformation ?? {}) as IDataObject;
	const id = checked(context, itemIndex, () => {
		const given = reference.transactionId ?? param<string>(context, 'merchantTransactionId', itemIndex, '');
		if (String(given ?? '').trim() !== '') return merchantTransactionId(given);
		return derivedMerchantTransactionId({ ...originOf(context), itemIndex });
	});
	const body = { ...request.body, clientReferenceInformation: { ...reference, transactionId: id } };
	let answer: IDataObject;
	try {
		answer = (await cybersourceApiRequest.call(context, itemIndex, { ...request, body, moneyMove: { id, cancelBy: move.cancelBy } })).body as IDataObject;
	} catch (error) {
		if (!isAlreadySent(error)) throw asNodeError(context.getNode(), error, itemIndex);
		const earlier = await findSent(context, itemIndex, body, move.application).catch(() => undefined);
		if (earlier === undefined) throw asNodeError(context.getNode(), error, itemIndex);
		answer = { ...earlier, alreadySent: true };
	}
	const echoed = (answer.clientReferenceInformation ?? {}) as IDataObject;
	return { ...answer, clientReferenceInformation: { ...echoed, transactionId: echoed.transactionId ?? id } };
}

const SEARCHABLE_CODE = /^[A-Za-z0-9._:-]+$/;

/**
 * The transaction an earlier request made: the newest of the right kind with the same client
 * reference code and amount (Transaction Search; its query language takes a plain code).
 */
async function findSent(context: IExecuteFunctions, itemIndex: number, body: IDataObject, application: MoneyApplication): Promise<IDataObject | undefined> {
	const code = (body.clientReferenceInformation as IDataObject).code;
	if (typeof code !== 'string' || !SEARCHABLE_CODE.test(code)) return undefined;
	const amount = Number(((body.orderInformation as IDataObject | undefined)?.amountDetails as IDataObject | undefined)?.totalAmount);
	const { items } = await searchPage(context, itemIndex, { query: `clientReferenceInformation.code:${code}`, sort: 'submitTimeUtc:desc', offset: 0, limit: 100 });
	const summary = items.find((candidate) => {
		const info = (candidate.applicationInformation ?? {}) as { applications?: Array<{ name?: unknown }> };
		const total = Number(((candidate.orderInformation as IDataObject | undefined)?.amountDetails as IDataObject | undefined)?.totalAmount);
		return (info.applications ?? []).some((app) => app.name === application) && total === amount;
	});
	if (summary === undefined) return undefined;
	const status = ((summary.applicationInformation ?? {}) as IDataObject).status;
	return { ...summary, ...(typeof status === 'string' ? { status } : {}) };
}
